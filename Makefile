# mue - one non-recursive Makefile: libmue, the services, the tests, the local stack.
# Project flags live in MUE_* variables so CFLAGS, LDFLAGS and CC stay the user's.

CFLAGS ?= -O2 -g
WERROR ?= -Werror
MUE_WARN := -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Wundef -Wwrite-strings \
            -Wimplicit-fallthrough $(WERROR)
PKGS := libnats jansson libprotobuf-c libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Generated sources do not depend on the flavour: one copy for all trees.
GEN := build/gen
MUE_CFLAGS := -std=c11 -pthread
MUE_CPPFLAGS := -D_GNU_SOURCE -Icommon -I$(GEN)/proto -MMD -MP $(PKG_CFLAGS)
MUE_LDFLAGS := -pthread -Wl,--as-needed
# Debian's civetweb ships no .pc file.
MUE_LDLIBS := $(PKG_LIBS) -lcivetweb -ldl -lm

B := build
ifneq ($(SAN),)
B := build/san
MUE_CFLAGS += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
MUE_LDFLAGS += -fsanitize=$(SAN)
endif
# The fuzzing flavour: clang, libFuzzer's coverage and the sanitizers (make fuzz, make fuzz-smoke).
ifneq ($(FUZZ),)
B := build/fuzz
MUE_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
MUE_LDFLAGS += -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

SERVICES := $(notdir $(patsubst %/main.c,%,$(wildcard services/*/main.c)))
PROTOS := $(wildcard proto/mue/v1/*.proto)
PROTO_C := $(patsubst proto/%.proto,$(GEN)/proto/%.pb-c.c,$(PROTOS))
PROTO_H := $(PROTO_C:.c=.h)
SQL := $(sort $(wildcard deploy/sql/*.sql))

COMMON_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard common/*.c)) \
               $(patsubst $(GEN)/%.c,$(B)/gen/%.o,$(PROTO_C)) $(B)/gen/mue_migrations.o
BINS := $(patsubst %,$(B)/bin/mue-%,$(SERVICES))
UNIT_TESTS := $(patsubst %.c,$(B)/%,$(wildcard tests/unit/*/test_*.c))
# C tests of common/ that need real servers; the integration suite runs them.
SERVER_TESTS := $(patsubst %.c,$(B)/%,$(wildcard tests/integration/c/test_*.c))
# One fuzz target per parser file, and one per codec (services/normalizer/codec_<vendor>_<model>.c)
# built from the same tests/fuzz/fuzz_codec.c.
CODECS := $(patsubst services/normalizer/codec_%.c,%,$(wildcard services/normalizer/codec_*.c))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(filter-out tests/fuzz/fuzz_codec.c,\
                  $(wildcard tests/fuzz/fuzz_*.c))) $(patsubst %,$(B)/fuzz/fuzz_codec_%,$(CODECS))
FUZZ_SECONDS ?= 15
TOOLS := $(patsubst tests/tools/%.c,$(B)/bin/%,$(wildcard tests/tools/*.c))

# Generated files are kept, not treated as intermediates to delete.
.SECONDARY:

.PHONY: all test unit integration clean deps deps-check up down demo status fuzz fuzz-build fuzz-smoke format lint check-deploy
all: $(BINS) $(TOOLS)

# Every object waits for the generated headers, so a clean parallel build never races them.
$(B)/%.o: %.c | $(PROTO_H)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(MUE_CPPFLAGS) $(CPPFLAGS) $(MUE_CFLAGS) $(CFLAGS) $(MUE_WARN) -c $< -o $@

# protoc-c output is not ours to make warning-clean.
$(B)/gen/%.o: $(GEN)/%.c | $(PROTO_H)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(MUE_CPPFLAGS) $(CPPFLAGS) $(MUE_CFLAGS) $(CFLAGS) -c $< -o $@

$(GEN)/proto/%.pb-c.c $(GEN)/proto/%.pb-c.h: proto/%.proto
	@mkdir -p $(GEN)/proto
	@$(if $(Q),echo "  PROTOC  $<")
	$(Q)protoc-c --proto_path=proto --c_out=$(GEN)/proto $<

$(GEN)/mue_migrations.c: $(SQL) deploy/sql/embed.sh
	@mkdir -p $(@D)
	@$(if $(Q),echo "  EMBED   deploy/sql")
	$(Q)sh deploy/sql/embed.sh $(SQL) > $@.tmp && mv $@.tmp $@

$(B)/libmue.a: $(COMMON_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)$(AR) rcs $@ $^

svc_objs = $(patsubst %.c,$(B)/%.o,$(filter-out %/main.c,$(wildcard services/$(1)/*.c)))
define service_rules
$(B)/bin/mue-$(1): $(B)/services/$(1)/main.o $(call svc_objs,$(1)) $(B)/libmue.a
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(MUE_LDFLAGS) $$(LDFLAGS) $$^ $$(MUE_LDLIBS) -o $$@
$(B)/tests/unit/$(1)/%: $(B)/tests/unit/$(1)/%.o $(call svc_objs,$(1)) $(B)/libmue.a
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(MUE_LDFLAGS) $$(LDFLAGS) $$^ $$(MUE_LDLIBS) -o $$@
endef
$(foreach s,$(SERVICES),$(eval $(call service_rules,$(s))))
# A service's tests see its headers.
$(foreach s,$(SERVICES),$(eval $(B)/tests/unit/$(s)/%.o: MUE_CPPFLAGS += -Iservices/$(s)))

$(B)/tests/unit/common/%: $(B)/tests/unit/common/%.o $(B)/libmue.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(MUE_LDFLAGS) $(LDFLAGS) $^ $(MUE_LDLIBS) -o $@

$(B)/tests/integration/c/%: $(B)/tests/integration/c/%.o $(B)/libmue.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(MUE_LDFLAGS) $(LDFLAGS) $^ $(MUE_LDLIBS) -o $@

# Each fuzz target links the modules of the service whose parser it drives.
FUZZ_SVC_fuzz_webhook_chirpstack := ingest
FUZZ_SVC_fuzz_webhook_tts := ingest
$(B)/tests/fuzz/%.o: MUE_CPPFLAGS += $(patsubst %,-Iservices/%,$(SERVICES))
$(B)/tests/fuzz/fuzz_codec_%.o: tests/fuzz/fuzz_codec.c | $(PROTO_H)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< ($*)")
	$(Q)$(CC) $(MUE_CPPFLAGS) -Iservices/normalizer -DCODEC_DECODE=codec_$*_decode $(CPPFLAGS) \
	    $(MUE_CFLAGS) $(CFLAGS) $(MUE_WARN) -c $< -o $@
$(B)/fuzz/fuzz_codec_%: $(B)/tests/fuzz/fuzz_codec_%.o $(call svc_objs,normalizer) $(B)/libmue.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) -fsanitize=fuzzer $(MUE_LDFLAGS) $(LDFLAGS) $^ $(MUE_LDLIBS) -o $@
.SECONDEXPANSION:
$(B)/fuzz/%: $(B)/tests/fuzz/%.o $$(call svc_objs,$$(FUZZ_SVC_$$*)) $(B)/libmue.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) -fsanitize=fuzzer $(MUE_LDFLAGS) $(LDFLAGS) $^ $(MUE_LDLIBS) -o $@

fuzz-build: $(FUZZ_TARGETS)

# Builds every libFuzzer target with clang (build/fuzz/).
fuzz:
	@$(MAKE) --no-print-directory FUZZ=1 CC=clang fuzz-build

# Runs each target for FUZZ_SECONDS on its committed seeds (new finds go to a scratch folder).
fuzz-smoke: fuzz
	@bash tests/fuzz/smoke.sh build/fuzz $(FUZZ_SECONDS)

$(B)/bin/%: $(B)/tests/tools/%.o $(B)/libmue.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(MUE_LDFLAGS) $(LDFLAGS) $^ $(MUE_LDLIBS) -o $@

# The README's test command: unit tests, then the integration suite against real servers.
test: deps-check all $(UNIT_TESTS) $(SERVER_TESTS)
	@bash tests/run.sh $(B)

unit: all $(UNIT_TESTS)
	@bash tests/run.sh $(B) unit

integration: all $(SERVER_TESTS)
	@bash tests/run.sh $(B) integration

# Installs the Debian packages the build, the tests and the local stack need.
deps:
	@bash deploy/local/deps.sh install

deps-check:
	@bash deploy/local/deps.sh ensure

# The local stack on loopback: nats-server, PostgreSQL under .run/, every service.
up: deps-check all
	@bash deploy/local/up.sh $(B)

down:
	@bash deploy/local/down.sh

status:
	@bash deploy/local/status.sh

demo: deps-check all
	@bash deploy/local/up.sh $(B)
	@bash deploy/local/demo.sh $(B)

# Static checks of docker-compose.yml and the Dockerfile (no engine needed).
check-deploy:
	@bash deploy/check.sh

format:
	clang-format -i $(wildcard common/*.[ch] services/*/*.[ch] tests/*/*.[ch] tests/*/*/*.[ch])

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 \
	    -Icommon --suppress=missingIncludeSystem common services

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
