# Readout: build the release binary, then run it on a slim Debian with
# nothing else in the image. `docker compose up` uses this (see
# docker-compose.yml for the port and the data volume).

# --- build -----------------------------------------------------------------
FROM rust:1-bookworm AS build
WORKDIR /app
# The whole source tree (less what .dockerignore leaves out): the binary
# embeds migrations, samples, gazetteer data, templates and assets.
COPY . .
# Cache mounts keep the crate downloads and compiled dependencies between
# builds; the binary is copied out because the target dir is not kept.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/app/target \
    cargo build --release --locked --bin readout \
    && cp target/release/readout /usr/local/bin/readout

# --- run -------------------------------------------------------------------
FROM debian:bookworm-slim
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin readout \
    && mkdir -p /data \
    && chown readout:readout /data
WORKDIR /app
COPY --from=build /usr/local/bin/readout /usr/local/bin/readout
# In case the server reads its assets from disk rather than the binary.
COPY --chown=readout:readout static ./static
USER readout
# A fresh named volume takes /data's owner from the image, so the
# unprivileged user can create the database there.
VOLUME /data
EXPOSE 3000
ENV RUST_LOG=info
ENTRYPOINT ["readout"]
# Listen on every interface inside the container; docker-compose.yml
# publishes the port on the host's loopback only.
CMD ["serve", "--addr", "0.0.0.0:3000", "--db", "/data/readout.db"]
