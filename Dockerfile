# Build a static binary, then ship it alone in a distroless image: no shell,
# no compiler, not root.
FROM golang:1.26.10-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/healthsite ./cmd/healthsite
# Validate and index the articles once, here: a container starts from the
# pack with nothing to parse or index. A bad article fails the build.
RUN /out/healthsite build -o /out/pack

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/healthsite /healthsite
COPY --from=build /out/pack /pack
USER nonroot:nonroot
# Readers' feedback goes to a SQLite file in this folder, which the nonroot
# user owns; mount a volume on it to keep feedback across containers, or
# set HEALTHSITE_DATABASE to a PostgreSQL server that replicas share.
ENV HEALTHSITE_DATA_DIR=/home/nonroot/data
# Serve the pack built above. To serve a folder of articles instead, mount
# it and run with HEALTHSITE_PACK= (empty) and -articles.
ENV HEALTHSITE_PACK=/pack
VOLUME /home/nonroot/data
EXPOSE 8080
ENTRYPOINT ["/healthsite"]
