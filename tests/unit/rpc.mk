# SPDX-License-Identifier: GPL-2.0
#
# DCE/RPC named-pipe server (userspace/fsmbd/rpc_pipe.c, ndr.c,
# rpc_srvsvc.c, rpc_wkssvc.c): cmocka tests. Its libFuzzer harness is
# tests/fuzz/fuzz_rpc_pipe.c, built and run with the others by
# tests/fuzz/Makefile (make fuzz-smoke; make -C tests/fuzz rpc_pipe).
#
# Included by tests/unit/Makefile (which sets TOP, BUILD, CC, UNIT_CFLAGS,
# UNIT_LDLIBS): test_rpc joins UNIT_TESTS, built with ASan + UBSan.
# It also works on its own, from any directory:
#
#   make -f tests/unit/rpc.mk test        # ASan/UBSan build + valgrind run
#   make -f tests/unit/rpc.mk rpc-check   # ASan/UBSan build only
#   make -f tests/unit/rpc.mk rpc-valgrind
#
# The daemon links $(FSMB_RPC_SRCS).

RPC_MK_DIR := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))

TOP		?= $(abspath $(RPC_MK_DIR)/../..)
BUILD		?= $(TOP)/tests/unit/build
CC		?= cc
PKG_CONFIG	?= pkg-config
UNIT_CFLAGS	?= -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
		   -fsanitize=address,undefined -fno-omit-frame-pointer \
		   $(shell $(PKG_CONFIG) --cflags cmocka)
UNIT_LDLIBS	?= -fsanitize=address,undefined \
		   $(shell $(PKG_CONFIG) --libs cmocka)

FSMB_RPC_DIR	:= $(TOP)/userspace/fsmbd
FSMB_RPC_HDRS	:= $(FSMB_RPC_DIR)/rpc.h $(FSMB_RPC_DIR)/ndr.h
FSMB_RPC_SRCS	:= $(FSMB_RPC_DIR)/rpc_pipe.c $(FSMB_RPC_DIR)/ndr.c \
		   $(FSMB_RPC_DIR)/rpc_srvsvc.c $(FSMB_RPC_DIR)/rpc_wkssvc.c

# exactly the flags the brief asks for, no sanitizer: for valgrind
RPC_PLAIN_CFLAGS := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -g -O1
RPC_TEST	:= $(BUILD)/rpc/test_rpc
RPC_TEST_PLAIN	:= $(BUILD)/rpc/test_rpc_plain

UNIT_TESTS += $(RPC_TEST)

$(RPC_TEST): $(RPC_MK_DIR)test_rpc.c $(FSMB_RPC_SRCS) $(FSMB_RPC_HDRS)
	@mkdir -p $(dir $@)
	$(CC) -I$(FSMB_RPC_DIR) $(UNIT_CFLAGS) -o $@ $< $(FSMB_RPC_SRCS) \
		$(UNIT_LDLIBS)

$(RPC_TEST_PLAIN): $(RPC_MK_DIR)test_rpc.c $(FSMB_RPC_SRCS) $(FSMB_RPC_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(RPC_PLAIN_CFLAGS) -I$(FSMB_RPC_DIR) -o $@ $< $(FSMB_RPC_SRCS) \
		$(shell $(PKG_CONFIG) --libs cmocka)

rpc-check: $(RPC_TEST)
	ASAN_OPTIONS=detect_leaks=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $(RPC_TEST)

rpc-valgrind: $(RPC_TEST_PLAIN)
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect $(RPC_TEST_PLAIN)

.PHONY: rpc-check rpc-valgrind

# On its own (make -f tests/unit/rpc.mk): "test" runs both test builds.
ifeq ($(words $(MAKEFILE_LIST)),1)
.DEFAULT_GOAL := test
test: rpc-check rpc-valgrind
clean:
	rm -f $(RPC_TEST) $(RPC_TEST_PLAIN)
.PHONY: test clean
endif
