#!/bin/sh
# One database and one login role per service (DESIGN.md §1: each service owns its database).
# The postgres image runs this once, from /docker-entrypoint-initdb.d, on an empty data volume;
# after a password change either ALTER ROLE by hand or start over with `docker compose down -v`.
# Passwords come from the environment docker-compose.yml gives the postgres container
# (<SERVICE>_DB_PASSWORD); each service's DATABASE_URL carries the same one.
# The image may source this file instead of executing it, so: no `set -u`, no `exit`.
set -e

exemplar_create_service_database() {
    # $1 = service = role = database, $2 = password. psql quotes both (:"name", :'literal').
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v name="$1" -v password="$2" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name" ENCODING 'UTF8' TEMPLATE template0;
-- Only the owner (and the superuser) may connect: no service reads another's tables.
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
}

exemplar_create_service_database nomination "${NOMINATION_DB_PASSWORD:?NOMINATION_DB_PASSWORD is not set}"
exemplar_create_service_database review "${REVIEW_DB_PASSWORD:?REVIEW_DB_PASSWORD is not set}"
exemplar_create_service_database publication "${PUBLICATION_DB_PASSWORD:?PUBLICATION_DB_PASSWORD is not set}"
exemplar_create_service_database reporting "${REPORTING_DB_PASSWORD:?REPORTING_DB_PASSWORD is not set}"
