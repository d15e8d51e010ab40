#!/usr/bin/env bash
# base-image.sh CACHE_DIR - makes debian:bookworm-slim, the base every Dockerfile names, in the
# engine at $DOCKER_HOST when no image registry is reachable: a minimal bookworm from the host's
# Debian mirror (debootstrap), with the host's apt sources and settings so that apt inside a build
# reaches the same mirror, slimmed, then imported. The rootfs tarball is kept in CACHE_DIR.
set -euo pipefail
cache=${1:?usage: base-image.sh CACHE_DIR}
tag=debian:bookworm-slim
docker=/usr/bin/docker   # the docker.io client (the other docker on PATH may lack compose)

if "$docker" image inspect "$tag" > /dev/null 2>&1; then exit 0; fi
mkdir -p "$cache"
tarball=$cache/bookworm-slim.tar
if [ ! -s "$tarball" ]; then
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
    mirror=${mirror:-http://deb.debian.org/debian}
    rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
    trap 'rm -rf "$rootfs"' EXIT
    echo "# debootstrap bookworm from $mirror"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
        { tail -20 "$cache/debootstrap.log"; exit 1; }
    # The host's sources (security and updates too); a dated snapshot mirror needs the host's
    # Check-Valid-Until setting, or apt refuses its Release files.
    [ -f /etc/apt/sources.list.d/debian.sources ] &&
        cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/" &&
        rm -f "$rootfs/etc/apt/sources.list"
    for f in $(grep -l 'Check-Valid-Until\|Check-Date' /etc/apt/apt.conf.d/* 2>/dev/null); do
        cp "$f" "$rootfs/etc/apt/apt.conf.d/"
    done
    # The host's own certificate authorities (a TLS-inspecting proxy's, for npm's registry): in
    # the folder update-ca-certificates reads, and as the bundle until a build installs that.
    if [ -d /usr/local/share/ca-certificates ]; then
        mkdir -p "$rootfs/usr/local/share/ca-certificates" "$rootfs/etc/ssl/certs"
        cp -r /usr/local/share/ca-certificates/. "$rootfs/usr/local/share/ca-certificates/"
        [ -f /etc/ssl/certs/ca-certificates.crt ] &&
            cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
    fi
    rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* \
        "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
    tar --numeric-owner -C "$rootfs" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
fi
# Node reads its CAs from its own list, plus this file when set (the host's bundle, copied above).
"$docker" import --change 'CMD ["bash"]' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' "$tarball" "$tag" > /dev/null
echo "# $tag imported ($(du -m "$tarball" | cut -f1) MB)"
