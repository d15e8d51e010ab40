# nats.Dockerfile - stands in for the nats image of docker-compose.yml where no image registry is
# reachable (the compose smoke test): Debian's nats-server, with curl for the healthcheck.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nats-server curl \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o nats -g nats /data
USER nats
EXPOSE 4222 8222
ENTRYPOINT ["nats-server"]
