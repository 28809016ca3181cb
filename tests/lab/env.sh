# Sourced by the lab scripts: one place for names, ports and paths.
# Everything is overridable from the environment.
LAB_DIR=${RCTR_LAB_DIR:-/var/tmp/rctr-lab}
LAB_REG=${RCTR_LAB_REG:-127.0.0.1:5100}          # plain HTTP, anonymous
LAB_AUTH_REG=${RCTR_LAB_AUTH_REG:-127.0.0.1:5101} # HTTP + htpasswd (bcrypt)
LAB_AUTH_USER=rctr
LAB_AUTH_PASS=rctrpass
LAB_USER=rctrtest     # has subordinate IDs 100000:65536
LAB_NOSUB_USER=rctrnosub  # has none
LAB_SUBID_START=100000
LAB_SUBID_COUNT=65536
REGISTRY_BIN=${REGISTRY_BIN:-/usr/bin/docker-registry}

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "run as root (sudo $0)"; }
