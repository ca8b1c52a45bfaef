# SPDX-License-Identifier: GPL-2.0
# fsmbd's authentication and policy code (DER, SPNEGO, NTLMSSP, the
# conversation table, share policy) under cmocka, linked with common/ as
# fsmbd is. The tests make their users file in a temporary state directory.
# `make daemon-check` builds and runs only these.
DAEMON_TESTS := $(BUILD)/daemon/test_ntlmssp $(BUILD)/daemon/test_spnego
DAEMON_SRC := $(addprefix $(TOP)/userspace/fsmbd/,asn1.c auth.c log.c \
	ntlmssp.c spnego.c tree.c) $(sort $(wildcard $(TOP)/userspace/common/*.c))
# The recorded NTLMSSP/SPNEGO messages, shared with the fuzzers' seeds.
DAEMON_VECTORS := $(TOP)/tests/common/ntlmssp_vectors.c
DAEMON_DEPS := $(DAEMON_SRC) $(DAEMON_VECTORS) $(wildcard $(TOP)/userspace/fsmbd/*.h) \
	$(wildcard $(TOP)/userspace/common/*.h) $(TOP)/tests/common/ntlmssp_vectors.h \
	$(TOP)/uapi/linux/fsmb.h
UNIT_TESTS += $(DAEMON_TESTS)

$(DAEMON_TESTS): $(BUILD)/daemon/%: %.c $(DAEMON_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -I$(TOP)/userspace/common -I$(TOP)/userspace/fsmbd \
		-I$(TOP)/tests/common $(shell $(PKG_CONFIG) --cflags nettle) \
		-o $@ $< $(DAEMON_SRC) $(DAEMON_VECTORS) \
		$(UNIT_LDLIBS) $(shell $(PKG_CONFIG) --libs nettle)

daemon-check: $(DAEMON_TESTS)
	@for t in $(DAEMON_TESTS); do \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $$t || exit 1; \
	done

.PHONY: daemon-check
