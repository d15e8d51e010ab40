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
PROTOS := $(wildcard proto/*/*.proto proto/*/*/*.proto)
PROTO_C := $(patsubst proto/%.proto,$(GEN)/proto/%.pb-c.c,$(PROTOS))
PROTO_H := $(PROTO_C:.c=.h)
SQL := $(sort $(wildcard deploy/sql/*.sql))

COMMON_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard common/*.c)) \
               $(patsubst $(GEN)/%.c,$(B)/gen/%.o,$(PROTO_C)) $(B)/gen/mue_migrations.o
BINS := $(patsubst %,$(B)/bin/mue-%,$(SERVICES)) \
        $(foreach c,$(wildcard services/*/cmd_*.c),$(B)/bin/mue-$(patsubst cmd_%.c,%,$(notdir $(c))))
UNIT_TESTS := $(patsubst %.c,$(B)/%,$(wildcard tests/unit/*/test_*.c))
# C tests that need real servers, of common/ (tests/integration/c/) and of a service's modules
# (tests/integration/<service>/); the integration suite runs them.
SERVER_TESTS := $(patsubst %.c,$(B)/%,$(wildcard tests/integration/*/test_*.c))
# One fuzz target per parser file, and one per codec (services/normalizer/codec_<vendor>_<model>.c)
# built from the same tests/fuzz/fuzz_codec.c.
CODECS := $(patsubst services/normalizer/codec_%.c,%,$(wildcard services/normalizer/codec_*.c))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(filter-out tests/fuzz/fuzz_codec.c,\
                  $(wildcard tests/fuzz/fuzz_*.c))) $(patsubst %,$(B)/fuzz/fuzz_codec_%,$(CODECS))
FUZZ_SECONDS ?= 15
TOOLS := $(patsubst tests/tools/%.c,$(B)/bin/%,$(wildcard tests/tools/*.c))

# The web pages (services/api/web): npm packages pinned by package-lock.json, bundled by esbuild
# into one folder that mue-api serves (MUE_API_WEB_ROOT). The same for every flavour.
WEB := build/web
WEB_NPM := services/api/web/node_modules/.package-lock.json
WEB_SRC := $(shell find services/api/web/src -type f 2>/dev/null) services/api/web/build.mjs \
           deploy/data/geo/amp-communes.geojson
WEB_TEST_NPM := tests/web/node_modules/.package-lock.json

# Generated files are kept, not treated as intermediates to delete.
.SECONDARY:

.PHONY: all test unit lint-sql integration clean deps deps-check deps-check-test up down demo status fuzz fuzz-build fuzz-smoke format lint check-deploy cluster-test faults compose-smoke valgrind docs web
all: $(BINS) $(TOOLS)

# Every object waits for the generated headers, so a clean parallel build never races them.
$(B)/%.o: %.c | $(PROTO_H)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(MUE_CPPFLAGS) $(CPPFLAGS) $(MUE_CFLAGS) $(CFLAGS) $(MUE_WARN) -c $< -o $@

$(B)/gen/codec_list.o: MUE_CPPFLAGS += -Iservices/normalizer
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

svc_objs = $(patsubst %.c,$(B)/%.o,$(filter-out %/main.c services/$(1)/cmd_%.c,\
                $(wildcard services/$(1)/*.c))) $(SVC_GEN_$(1))
# A service folder may hold command-line tools beside its daemon: services/<svc>/cmd_<name>.c
# builds mue-<name> from the service's modules (services/normalizer/cmd_decode.c -> mue-decode).
CMDS := $(wildcard services/*/cmd_*.c)
cmd_bin = $(B)/bin/mue-$(patsubst cmd_%.c,%,$(notdir $(1)))
cmd_svc = $(notdir $(patsubst %/,%,$(dir $(1))))
# The normalizer's list of codecs is made from the codec files' names.
SVC_GEN_normalizer := $(B)/gen/codec_list.o
$(GEN)/codec_list.c: $(wildcard services/normalizer/codec_*.c) Makefile
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GEN     $@")
	$(Q){ echo '/* Generated by the Makefile from services/normalizer/codec_*.c: do not edit. */'; \
	  echo '#include "codec.h"'; \
	  for c in $(CODECS); do echo "extern const struct codec codec_$$c;"; done; \
	  echo 'const struct codec *const codec_list[] = {'; \
	  for c in $(CODECS); do echo "    &codec_$$c,"; done; \
	  echo '    NULL,'; echo '};'; } > $@.tmp && mv $@.tmp $@
# mue-admin shares the lighting model (sun, preview); see the lighting tests below.
LIGHTING_OBJS := $(call svc_objs,lighting)
SVC_GEN_admin := $(LIGHTING_OBJS)
define service_rules
$(B)/bin/mue-$(1): $(B)/services/$(1)/main.o $(call svc_objs,$(1)) $(B)/libmue.a
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(MUE_LDFLAGS) $$(LDFLAGS) $$^ $$(MUE_LDLIBS) -o $$@
$(B)/tests/unit/$(1)/%: $(B)/tests/unit/$(1)/%.o $(call svc_objs,$(1)) $(B)/libmue.a
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(MUE_LDFLAGS) $$(LDFLAGS) $$(filter-out %.a,$$^) $$(filter %.a,$$^) $$(MUE_LDLIBS) -o $$@
$(B)/tests/integration/$(1)/%: $(B)/tests/integration/$(1)/%.o $(call svc_objs,$(1)) $(B)/libmue.a
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(MUE_LDFLAGS) $$(LDFLAGS) $$^ $$(MUE_LDLIBS) -o $$@
endef
$(foreach s,$(SERVICES),$(eval $(call service_rules,$(s))))
define cmd_rules
$(call cmd_bin,$(1)): $(patsubst %.c,$(B)/%.o,$(1)) $(call svc_objs,$(call cmd_svc,$(1))) $(B)/libmue.a
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(MUE_LDFLAGS) $$(LDFLAGS) $$^ $$(MUE_LDLIBS) -o $$@
endef
$(foreach c,$(CMDS),$(eval $(call cmd_rules,$(c))))
# A service's tests see its headers.
$(foreach s,$(SERVICES),$(eval $(B)/tests/unit/$(s)/%.o: MUE_CPPFLAGS += -Iservices/$(s)))
$(foreach s,$(SERVICES),$(eval $(B)/tests/integration/$(s)/%.o: MUE_CPPFLAGS += -Iservices/$(s)))

# The simulator's tests decode what it encodes with the normalizer's real codecs.
$(B)/tests/unit/sim/%.o: MUE_CPPFLAGS += -Iservices/normalizer
$(filter $(B)/tests/unit/sim/%,$(UNIT_TESTS)): $(call svc_objs,normalizer)

# The lighting model (services/lighting/) is pure functions; its tests decode what its compilers encode with the normalizer's real codecs.
$(B)/services/admin/%.o: MUE_CPPFLAGS += -Iservices/lighting
$(B)/tests/unit/admin/%.o: MUE_CPPFLAGS += -Iservices/lighting
$(B)/tests/unit/lighting/%.o: MUE_CPPFLAGS += -Iservices/lighting -Iservices/normalizer
ifeq ($(filter lighting,$(SERVICES)),)
$(B)/tests/unit/lighting/%: $(B)/tests/unit/lighting/%.o $(LIGHTING_OBJS) $(B)/libmue.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(MUE_LDFLAGS) $(LDFLAGS) $(filter-out %.a,$^) $(filter %.a,$^) $(MUE_LDLIBS) -o $@
endif
$(filter $(B)/tests/unit/lighting/%,$(UNIT_TESTS)): $(call svc_objs,normalizer)

$(B)/tests/unit/common/%: $(B)/tests/unit/common/%.o $(B)/libmue.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(MUE_LDFLAGS) $(LDFLAGS) $^ $(MUE_LDLIBS) -o $@

$(B)/tests/integration/c/%: $(B)/tests/integration/c/%.o $(B)/libmue.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(MUE_LDFLAGS) $(LDFLAGS) $^ $(MUE_LDLIBS) -o $@

# Each fuzz target links the modules of the service whose parser it drives.
FUZZ_SVC_fuzz_webhook_chirpstack := ingest
FUZZ_SVC_fuzz_webhook_chirpstack_pb := ingest
FUZZ_SVC_fuzz_webhook_tts := ingest
FUZZ_SVC_fuzz_webhook_thingpark := ingest
FUZZ_SVC_fuzz_webhook_liveobjects := ingest
FUZZ_SVC_fuzz_webhook_senml := ingest
FUZZ_SVC_fuzz_csv := admin
FUZZ_SVC_fuzz_downlink := ingest
FUZZ_SVC_fuzz_downlink_queue := ingest
FUZZ_SVC_fuzz_alert_command := alerts
FUZZ_SVC_fuzz_talq := lighting
FUZZ_SVC_fuzz_ckan_answer := opendata
FUZZ_SVC_fuzz_datasets := opendata
FUZZ_SVC_fuzz_api_query := api
FUZZ_SVC_fuzz_api_body := api
$(B)/tests/fuzz/fuzz_talq.o: MUE_CPPFLAGS += -Iservices/lighting
$(B)/tests/fuzz/%.o: MUE_CPPFLAGS += $(patsubst %,-Iservices/%,$(SERVICES))
$(B)/tests/fuzz/fuzz_codec_%.o: tests/fuzz/fuzz_codec.c | $(PROTO_H)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< ($*)")
	$(Q)$(CC) $(MUE_CPPFLAGS) -Iservices/normalizer -DCODEC=codec_$* $(CPPFLAGS) \
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
test: deps-check-test all web $(WEB_TEST_NPM) $(UNIT_TESTS) $(SERVER_TESTS)
	@bash tests/run.sh $(B)

unit: all $(UNIT_TESTS)
	@bash tests/run.sh $(B) unit

# The static checks of the sources that make test runs first: no SQL built from run-time values
# (tests/lint/sql_params.sh), the checker itself tested on planted examples.
lint-sql:
	@bash tests/run.sh $(B) lint

integration: all web $(WEB_TEST_NPM) $(SERVER_TESTS)
	@bash tests/run.sh $(B) integration

# The integration suite once with every service under valgrind's memcheck: no error, no
# definite leak (tests/integration/run.sh reads the reports).
valgrind: all web $(WEB_TEST_NPM) $(SERVER_TESTS)
	@MUE_VALGRIND=1 bash tests/run.sh $(B) integration

# Installs the Debian packages the build, the tests and the local stack need.
deps:
	@bash deploy/local/deps.sh install

deps-check:
	@bash deploy/local/deps.sh ensure

deps-check-test:
	@bash deploy/local/deps.sh ensure test

web: $(WEB)/index.html

$(WEB)/index.html: $(WEB_SRC) $(WEB_NPM)
	@$(if $(Q),echo "  WEB     $(WEB)")
	$(Q)node services/api/web/build.mjs $(WEB)

$(WEB_NPM): services/api/web/package-lock.json
	@$(if $(Q),echo "  NPM     services/api/web")
	$(Q)cd services/api/web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB_TEST_NPM): tests/web/package-lock.json
	@$(if $(Q),echo "  NPM     tests/web")
	$(Q)cd tests/web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The local stack on loopback: nats-server, PostgreSQL under .run/, every service.
up: deps-check all web
	@bash deploy/local/up.sh $(B)

down:
	@bash deploy/local/down.sh

status:
	@bash deploy/local/status.sh

demo: deps-check all web
	@MUE_DEMO_NETWORK=1 bash deploy/local/up.sh $(B)
	@bash deploy/local/demo.sh $(B)

# Rewrites the generated part of docs/quantities.md from the vocabulary table.
docs: all
	@awk -v table="$$($(B)/bin/mue-decode --list-quantities --markdown)" \
	    '/<!-- quantities:begin -->/ {print; print table; skip = 1; next} \
	     /<!-- quantities:end -->/ {skip = 0} !skip' docs/quantities.md > docs/quantities.md.tmp
	@mv docs/quantities.md.tmp docs/quantities.md
	@echo "docs/quantities.md: $$(grep -c '^| `' docs/quantities.md) quantities"

# Static checks of docker-compose.yml, the Dockerfile and the Prometheus files (no engine needed).
check-deploy:
	@bash deploy/check.sh

# The platform on a three-node NATS cluster, a node killed under load (tests/cluster/README.md).
cluster-test: all
	@bash tests/cluster/run.sh $(B)

# Faults under load: every service killed and restarted, PostgreSQL and nats-server stopped and
# started again; nothing lost, nothing duplicated, no alert twice (tests/faults/README.md).
faults: all
	@bash tests/faults/run.sh $(B)

# docker-compose.yml on a private Docker engine: images built, the stack up healthy, an uplink in
# and out (tests/deploy/README.md); says so and passes where no engine can start.
compose-smoke:
	@bash tests/deploy/smoke.sh

format:
	clang-format -i $(wildcard common/*.[ch] services/*/*.[ch] tests/*/*.[ch] tests/*/*/*.[ch])

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 \
	    -Icommon --suppress=missingIncludeSystem common services

clean:
	rm -rf build

# Header dependencies of this flavour's tree only; they are never targets to remake.
ifeq ($(B),build)
DEPS := $(shell find build -path build/san -prune -o -path build/fuzz -prune -o -name '*.d' -print 2>/dev/null)
else
DEPS := $(shell find $(B) -name '*.d' 2>/dev/null)
endif
%.d: ;
-include $(DEPS)

# --- benchmarks
# bench/tools/<name>.c builds $(B)/bench/<name>, linked like the services. bench-writer runs the
# storage benchmark of the writer against its own servers (bench/writer.sh, bench/README.md).
BENCH_TOOLS := $(patsubst bench/tools/%.c,$(B)/bench/%,$(wildcard bench/tools/*.c))
$(BENCH_TOOLS): $(B)/bench/%: $(B)/bench/tools/%.o $(B)/libmue.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(MUE_LDFLAGS) $(LDFLAGS) $^ $(MUE_LDLIBS) -o $@

.PHONY: bench-writer
bench-writer: all $(BENCH_TOOLS)
	@bash bench/writer.sh $(B)

# bench-api: mue-api's latency under a steady load, beside its SQL ceiling (bench/api.sh).
.PHONY: bench-api
bench-api: all $(BENCH_TOOLS)
	@bash bench/api.sh $(B)

# bench: the end-to-end ramp with the COPY and JetStream ceilings, the API under load, make up's
# start-up time; writes bench/results/latest.json and prints a summary (bench/bench.sh).
# bench-smoke: the same code for a few seconds, results in a temporary folder (CI).
.PHONY: bench bench-smoke
bench: deps-check all web $(BENCH_TOOLS)
	@bash bench/bench.sh $(B)

bench-smoke: deps-check all web $(BENCH_TOOLS)
	@d=$$(mktemp -d /tmp/mue-bench-smoke.XXXXXX) && \
	BENCH_SHORT=1 BENCH_RESULTS=$$d bash bench/bench.sh $(B); rc=$$?; rm -rf $$d; exit $$rc
