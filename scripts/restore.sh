#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh: its database into DATABASE_URL (pg_restore) and its private
# media into PRIVATE_MEDIA_ROOT, whose contents are replaced by the backup's.
#
#   DATABASE_URL=postgres://... PRIVATE_MEDIA_ROOT=/app/var/private scripts/restore.sh --yes BACKUP_DIR
#
# The target database must exist: an empty one, or the damaged one (every object of the dump is dropped
# and created again, in one transaction).  Stop web, worker and beat first.  --yes confirms that the
# target's data and files are replaced.  The checksums are verified before anything is touched, and the
# media are replaced only after the database was restored.
set -euo pipefail

if [ "$#" -ne 2 ] || [ "$1" != "--yes" ]; then
    echo "usage: $0 --yes BACKUP_DIR   (DATABASE_URL and PRIVATE_MEDIA_ROOT name the target; its data is replaced)" >&2
    exit 2
fi
backup="$2"
: "${DATABASE_URL:?DATABASE_URL names the database to restore into}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT names the private media folder to restore into}"

libpq_url() { printf 'postgresql://%s' "${1#*://}"; }

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$(libpq_url "$DATABASE_URL")" "$backup/database.dump"

mkdir -p "$PRIVATE_MEDIA_ROOT"
if [ "$(cd "$PRIVATE_MEDIA_ROOT" && pwd -P)" = / ]; then
    echo "refusing to replace / (PRIVATE_MEDIA_ROOT)" >&2
    exit 2
fi
find "$PRIVATE_MEDIA_ROOT" -mindepth 1 -delete
tar --extract --gzip --numeric-owner --no-overwrite-dir --file="$backup/private-media.tar.gz" \
    --directory="$PRIVATE_MEDIA_ROOT"
echo "backup restored: $backup"
