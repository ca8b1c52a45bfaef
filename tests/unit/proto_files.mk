# SPDX-License-Identifier: GPL-2.0
#
# The file-command codecs of kernel/proto/ (UTF-16 names, share paths,
# wildcard matching, CREATE and its contexts, READ/WRITE/FLUSH/CLOSE,
# QUERY_DIRECTORY entries, QUERY_INFO/SET_INFO classes, IOCTL) under
# cmocka, compiled for userspace exactly as fsmb.ko compiles them.
# `make proto-files-check` builds and runs only these.
PROTO_FILES_TEST := $(BUILD)/files/test_proto_files
PROTO_FILES_SRC := $(addprefix $(TOP)/kernel/proto/,utf16.c path.c \
	smb2_create.c smb2_io.c smb2_dir.c smb2_info.c smb2_ioctl.c)
PROTO_FILES_DEPS := $(PROTO_FILES_SRC) $(wildcard $(TOP)/kernel/proto/*.h)
UNIT_TESTS += $(PROTO_FILES_TEST)

$(PROTO_FILES_TEST): test_proto_files.c $(PROTO_FILES_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(PROTO_FILES_SRC) $(UNIT_LDLIBS)

proto-files-check: $(PROTO_FILES_TEST)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $(PROTO_FILES_TEST)

.PHONY: proto-files-check
