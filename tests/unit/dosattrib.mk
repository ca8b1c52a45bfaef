# SPDX-License-Identifier: GPL-2.0
# The user.DOSATTRIB codec of kernel/proto/ (Samba's xattr_DOSATTRIB)
# under cmocka, compiled for userspace exactly as fsmb.ko compiles it.
# `make dosattrib-check` builds and runs only these.
DOSATTRIB_TEST := $(BUILD)/dosattrib/test_dosattrib
DOSATTRIB_SRC := $(TOP)/kernel/proto/dosattrib.c
DOSATTRIB_DEPS := $(DOSATTRIB_SRC) $(wildcard $(TOP)/kernel/proto/*.h)
UNIT_TESTS += $(DOSATTRIB_TEST)

$(DOSATTRIB_TEST): test_dosattrib.c $(DOSATTRIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(DOSATTRIB_SRC) $(UNIT_LDLIBS)

dosattrib-check: $(DOSATTRIB_TEST)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $(DOSATTRIB_TEST)

.PHONY: dosattrib-check
