# SPDX-License-Identifier: GPL-2.0
# userspace/common (config parser, users file, UTF-16) under cmocka. Each
# test links all of common/ as fsmbd and fsmbctl do.
# `make userspace-check` builds and runs only these.
USERSPACE_TESTS := $(BUILD)/userspace/test_config $(BUILD)/userspace/test_users
USERSPACE_SRC := $(sort $(wildcard $(TOP)/userspace/common/*.c))
USERSPACE_DEPS := $(USERSPACE_SRC) $(wildcard $(TOP)/userspace/common/*.h) \
	$(TOP)/uapi/linux/fsmb.h
UNIT_TESTS += $(USERSPACE_TESTS)

$(USERSPACE_TESTS): $(BUILD)/userspace/%: %.c $(USERSPACE_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -I$(TOP)/userspace/common \
		$(shell $(PKG_CONFIG) --cflags nettle) -o $@ $< $(USERSPACE_SRC) \
		$(UNIT_LDLIBS) $(shell $(PKG_CONFIG) --libs nettle)

userspace-check: $(USERSPACE_TESTS)
	@for t in $(USERSPACE_TESTS); do \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $$t || exit 1; \
	done

.PHONY: userspace-check
