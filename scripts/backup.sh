#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the private media (a tar of
# PRIVATE_MEDIA_ROOT) into one dated folder under DEST (default ./backups).  scripts/restore.sh puts one back.
#
#   DATABASE_URL=postgres://... PRIVATE_MEDIA_ROOT=/app/var/private scripts/backup.sh [DEST]
#
# A backup is written as DEST/<UTC time>.partial and renamed to DEST/<UTC time> once complete, so a
# folder without the suffix always holds a whole backup: database.dump, private-media.tar.gz, SHA256SUMS.
# Then the dated backups older than BACKUP_KEEP_DAYS (default 30, 0 keeps all) are deleted: a backup
# holds personal data that the portal itself has erased since, so it is kept no longer than needed.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL names the database to back up}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT names the private media folder to back up}"
dest_root="${1:-backups}"
keep_days="${BACKUP_KEEP_DAYS:-30}"

# libpq reads postgresql:// URLs; the settings (django-environ) also take postgres://, psql:// and pgsql://.
libpq_url() { printf 'postgresql://%s' "${1#*://}"; }

name="$(date -u +%Y-%m-%dT%H%M%SZ)"
partial="$dest_root/$name.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

pg_dump --format=custom --file="$partial/database.dump" "$(libpq_url "$DATABASE_URL")"
tar --create --gzip --numeric-owner --file="$partial/private-media.tar.gz" --directory="$PRIVATE_MEDIA_ROOT" .
(cd "$partial" && sha256sum database.dump private-media.tar.gz >SHA256SUMS)
mv "$partial" "$dest_root/$name"
trap - EXIT
echo "backup written: $dest_root/$name"

if [ "$keep_days" -gt 0 ]; then
    # The names sort as their times do: every dated backup whose name sorts before the cutoff is too old.
    cutoff="$(date -u -d "-$keep_days days" +%Y-%m-%dT%H%M%SZ)"
    for old in "$dest_root"/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z; do
        if [ -d "$old" ] && [[ "$(basename "$old")" < "$cutoff" ]]; then
            rm -rf "$old"
            echo "old backup deleted: $old"
        fi
    done
fi
