# SPDX-License-Identifier: GPL-2.0
# The core wire codecs (transport framing, header, NEGOTIATE, SESSION_SETUP,
# TREE_CONNECT, compound chain) built for userspace. `make proto-core-check` builds and
# runs only these.
PROTO_CORE_TEST := $(BUILD)/core/test_proto_core
PROTO_CORE_SRC := $(addprefix $(TOP)/kernel/proto/,framing.c smb2_hdr.c \
	smb2_negotiate.c smb2_session.c smb2_tree.c smb2_misc.c)
PROTO_CORE_OBJ := $(patsubst $(TOP)/kernel/proto/%.c,$(BUILD)/core/%.o,\
	$(PROTO_CORE_SRC))
PROTO_CORE_HDR := $(wildcard $(TOP)/kernel/proto/*.h)
UNIT_TESTS += $(PROTO_CORE_TEST)

$(BUILD)/core/%.o: $(TOP)/kernel/proto/%.c $(PROTO_CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

$(BUILD)/core/test_proto_core.o: test_proto_core.c $(PROTO_CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

$(PROTO_CORE_TEST): $(BUILD)/core/test_proto_core.o $(PROTO_CORE_OBJ)
	$(CC) -o $@ $^ $(UNIT_LDLIBS)

proto-core-check: $(PROTO_CORE_TEST)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $(PROTO_CORE_TEST)

.PHONY: proto-core-check
