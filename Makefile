# SPDX-License-Identifier: GPL-2.0
#
# make            build fsmb.ko (against KDIR) and the userspace programs
# make check      unit tests, a short fuzzing smoke test, checkpatch --strict
#                 on the module, a DKMS build, then the VM integration tests
#                 (scripts/vm/check.sh)
# make fuzz       libFuzzer campaign, FUZZ_SECONDS (600) per harness; new
#                 inputs that add coverage go into tests/fuzz/corpus/
#                 (tests/fuzz/README.md; fuzz-smoke, fuzz-build)
# make malformed-long  the hostile-input VM test with 100,000 malformed PDUs
# make conformance  smbtorture suites against fsmb, ksmbd and Samba, one guest
#                 each; writes Documentation/conformance.md (scripts/conformance;
#                 CONFORMANCE_ARGS="--server ksmbd --suites smb2.lock ...")
# make bench     fsmb, Samba and ksmbd benchmarked in one guest, plus the
#                 iperf3 limit; writes Documentation/benchmarks.md
#                 (scripts/bench/run; BENCH_ARGS="--runs 5 ..."). Not a test.
# make install    modules under /lib/modules/KVER/updates, programs in /usr/sbin
#
# KDIR defaults to the running kernel's build directory; the VM harness
# passes the guest kernel's headers.
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
DESTDIR ?=
SBINDIR ?= /usr/sbin
SYSCONFDIR ?= /etc

all: modules userspace

modules:
	@test -d "$(KDIR)" || { echo "KDIR=$(KDIR) does not exist: install the kernel headers or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

unit:
	$(MAKE) -C tests/unit check

# libFuzzer harnesses (clang): tests/fuzz/README.md. fuzz-smoke runs each
# over its committed corpus, then FUZZ_SMOKE_SECONDS (5) of fuzzing.
fuzz-build:
	$(MAKE) -C tests/fuzz build

fuzz-smoke:
	$(MAKE) -C tests/fuzz smoke

fuzz:
	$(MAKE) -C tests/fuzz fuzz

# The guest runs Debian's 6.1 kernel whatever the host runs: build the
# module against its headers (scripts/vm/config.sh knows which).
vm-check: userspace
	$(MAKE) modules KDIR=$$(bash scripts/vm/config.sh --kheaders)
	bash scripts/vm/check.sh

# The hostile-input test with 100,000 malformed PDUs instead of 3,000
# (MALFORMED_PDUS=N to choose).
MALFORMED_PDUS ?= 100000
malformed-long: userspace
	$(MAKE) modules KDIR=$$(bash scripts/vm/config.sh --kheaders)
	CHECK_VMTIMEOUT=$${CHECK_VMTIMEOUT:-5400} VMAPPEND="$$VMAPPEND MALFORMED_PDUS=$(MALFORMED_PDUS)" \
		bash scripts/vm/check.sh fsmb-malformed

vm-check-long: malformed-long

checkpatch:
	bash scripts/checkpatch.sh

conformance: userspace
	$(MAKE) modules KDIR=$$(bash scripts/vm/config.sh --kheaders)
	bash scripts/conformance $(CONFORMANCE_ARGS)

bench: userspace
	$(MAKE) modules KDIR=$$(bash scripts/vm/config.sh --kheaders)
	bash scripts/bench/run $(BENCH_ARGS)

dkms-check:
	bash scripts/dkms-check.sh

check: unit fuzz-smoke checkpatch dkms-check vm-check

demo:
	bash scripts/vm/demo.sh

install: modules_install userspace_install

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates modules_install

userspace_install:
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) SBINDIR=$(SBINDIR)
	install -d $(DESTDIR)$(SYSCONFDIR)/fsmb

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean

.PHONY: all modules userspace unit fuzz-build fuzz-smoke fuzz checkpatch dkms-check vm-check vm-check-long malformed-long check conformance bench demo install modules_install userspace_install clean
