# Build a static binary, then ship it alone in a distroless image: no shell,
# no compiler, not root.
FROM golang:1.26.10-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/healthsite ./cmd/healthsite

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/healthsite /healthsite
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/healthsite"]
