# Lambda packaging for the gateway (Native AOT on provided.al2023).
#
#   sam build                          runs build-GatewayFunction with ARTIFACTS_DIR set by SAM
#   make lambda-artifact [ARCH=x86_64] builds the same package into artifacts/lambda without SAM
#
# ARCH must match the template's Architecture parameter (arm64 | x86_64). SAM does not
# pass the architecture to makefile builds, so for x86_64 run `ARCH=x86_64 sam build`
# (make reads the environment) and deploy with Architecture=x86_64.
#
# Native AOT compiles and links for the target, so a cross-architecture build needs the
# target's toolchain. On a Debian 12 x64 host, arm64 builds with
#   apt-get install clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross
# and clang as the linker (chosen below whenever ARCH differs from the host); the reverse
# needs gcc-x86-64-linux-gnu and libc6-dev-amd64-cross. Or build on a machine of the
# target architecture. Extra `dotnet publish` flags go in PUBLISH_FLAGS.
# The package must need at most GLIBC_2.34 (Amazon Linux 2023); check-glibc verifies it.

ARCH ?= arm64
CONFIG ?= deploy/config.yaml
CONFIGURATION ?= Release
PROJECT := src/Gateway.Api/Gateway.Api.csproj
APP_NAME := Gateway.Api
MAX_GLIBC := 2.34
LAMBDA_ARTIFACT_DIR := $(CURDIR)/artifacts/lambda

RID_arm64 := linux-arm64
RID_x86_64 := linux-x64
RID := $(RID_$(ARCH))

HOST_ARCH := $(subst aarch64,arm64,$(shell uname -m))
ifneq ($(HOST_ARCH),$(ARCH))
PUBLISH_FLAGS ?= -p:CppCompilerAndLinker=clang
endif

.DEFAULT_GOAL := lambda-artifact

.PHONY: build-GatewayFunction build-RollupFunction lambda-artifact check-glibc check-arch

check-arch:
	@test -n "$(RID)" || { echo "ARCH must be arm64 or x86_64 (got '$(ARCH)')" >&2; exit 1; }

build-GatewayFunction: check-arch
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	@test -f "$(CONFIG)" || { echo "CONFIG file not found: $(CONFIG)" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)"
	dotnet publish $(PROJECT) -c $(CONFIGURATION) -r $(RID) -p:PublishAot=true $(PUBLISH_FLAGS) -o "$(ARTIFACTS_DIR)"
	mv -f "$(ARTIFACTS_DIR)/$(APP_NAME)" "$(ARTIFACTS_DIR)/bootstrap"
	chmod 755 "$(ARTIFACTS_DIR)/bootstrap"
	rm -f "$(ARTIFACTS_DIR)/$(APP_NAME).dbg" "$(ARTIFACTS_DIR)"/*.pdb "$(ARTIFACTS_DIR)"/*.staticwebassets.*.json
	cp "$(CONFIG)" "$(ARTIFACTS_DIR)/config.yaml"
	$(MAKE) --no-print-directory check-glibc PACKAGE_DIR="$(ARTIFACTS_DIR)"

# The rollup function is the same binary (GATEWAY_ROLE=rollup in template.yaml).
build-RollupFunction: build-GatewayFunction

lambda-artifact: check-arch
	rm -rf "$(LAMBDA_ARTIFACT_DIR)"
	$(MAKE) --no-print-directory build-GatewayFunction ARTIFACTS_DIR="$(LAMBDA_ARTIFACT_DIR)"

# Fails when the package's bootstrap or a native library in it needs a glibc newer
# than Amazon Linux 2023's (objdump reads foreign-architecture ELF files too).
check-glibc:
	@test -n "$(PACKAGE_DIR)" || { echo "usage: make check-glibc PACKAGE_DIR=dir" >&2; exit 1; }
	@for elf in "$(PACKAGE_DIR)/bootstrap" $$(find "$(PACKAGE_DIR)" -name '*.so' -type f); do \
		needed=$$(objdump -T "$$elf" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1); \
		if [ -z "$$needed" ]; then echo "check-glibc: no GLIBC symbol versions read from $$elf" >&2; exit 1; fi; \
		highest=$$(printf '%s\n%s\n' "$$needed" "$(MAX_GLIBC)" | sort -V | tail -n 1); \
		if [ "$$highest" != "$(MAX_GLIBC)" ]; then \
			echo "check-glibc: $$elf needs GLIBC_$$needed, Amazon Linux 2023 has $(MAX_GLIBC)" >&2; exit 1; \
		fi; \
		echo "check-glibc: $$elf needs at most GLIBC_$$needed (limit $(MAX_GLIBC))"; \
	done
