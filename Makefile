# The front door. Two commands do everything on a fresh Debian 12 machine:
#   make run    install what is needed, build, run `vigil watch` (needs root)
#   make test   install what is needed, build (gcc and clang ASan+UBSan), run every test
BUILD ?= build
WATCH_ARGS ?=

.PHONY: all deps build run test format clean

all: build

deps:
	bash scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	$(BUILD)/src/cli/vigil watch $(WATCH_ARGS)

test:
	bash scripts/test.sh

format:
	git ls-files '*.c' '*.h' | grep -v vmlinux.h | xargs clang-format -i

clean:
	rm -rf $(BUILD) build-ci build-ci-asan
