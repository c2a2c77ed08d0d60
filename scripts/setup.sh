#!/usr/bin/env bash
# Installs what tinyfuse needs from Debian's packages (only those missing), then configures and builds.
# Usage: scripts/setup.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"

# Build: compiler, CMake, Ninja, flatbuffers, GoogleTest, CLI11. Tests also use valgrind (instruction
# counts), librsvg2-bin (SVG check), and the Cortex-M toolchain + QEMU (tests skip loudly without them).
packages=(g++ cmake ninja-build flatbuffers-compiler libflatbuffers-dev libgtest-dev libgmock-dev
          libcli11-dev valgrind librsvg2-bin gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
          clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# TINYFUSE_WERROR=ON in the environment (CI, development) makes warnings errors; a user's build keeps them
# warnings, so that a newer compiler's new warning does not stop it. ccache is used when installed.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTINYFUSE_WERROR="${TINYFUSE_WERROR:-OFF}" "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
