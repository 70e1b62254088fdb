# Sourced by .ci/run: puts a supported Node on PATH. Node 20 left upstream support on
# 2026-04-30 and several dependencies need 22.12 or later; the project is tested on the
# current LTS line below. A machine whose node is older gets that release from the npm
# registry (the `node-linux-<arch>` package holds the official build), kept in .cache/.
PUSHPAGE_NODE_VERSION="${PUSHPAGE_NODE_VERSION:-24.21.0}"
# the oldest Node the project supports (`engines` in package.json)
PUSHPAGE_NODE_FLOOR="${PUSHPAGE_NODE_FLOOR:-22.12.0}"

pushpage_node_is() {
  # true when the node on PATH is exactly $1
  command -v node >/dev/null 2>&1 && [ "$(node --version)" = "v$1" ]
}

pushpage_use_node() {
  local version="$1" arch dir
  if pushpage_node_is "$version"; then return 0; fi
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "ci: no Node build for $(uname -m); install Node $version yourself" >&2; return 1 ;;
  esac
  dir="$PWD/.cache/node-$version"
  if [ ! -x "$dir/node_modules/node-linux-$arch/bin/node" ]; then
    echo "ci: fetching Node $version (node-linux-$arch) from the npm registry"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock \
      "node-linux-$arch@$version" >/dev/null
  fi
  export PATH="$dir/node_modules/node-linux-$arch/bin:$PATH"
  pushpage_node_is "$version"
}
