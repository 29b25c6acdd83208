# syntax=docker/dockerfile:1
# The sidecar's image: src/Sidecar.Host published precompiled (ReadyToRun) on the .NET SDK image,
# run on the ASP.NET Core runtime image as its non-root `app` user, with a read-only root file
# system in mind (only the storage directory and /tmp are written).
#   docker build -t sidecar:dev .
# envoy/compose.yaml builds it the same way; envoy/kubernetes/ runs the image it tags.
# tests/Sidecar.Host.Tests/Deployment checks this file against those two (ports, user, volume, settings).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Set by BuildKit (amd64, arm64); `dotnet publish -a` takes these names.
ARG TARGETARCH
WORKDIR /src
# Restore first, from the project files only, so that a source change reuses the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Sidecar.Engine/Sidecar.Engine.csproj src/Sidecar.Engine/
COPY src/Sidecar.Storage/Sidecar.Storage.csproj src/Sidecar.Storage/
COPY src/Sidecar.Protos/Sidecar.Protos.csproj src/Sidecar.Protos/
COPY src/Sidecar.Host/Sidecar.Host.csproj src/Sidecar.Host/
RUN dotnet restore src/Sidecar.Host -a "$TARGETARCH" -p:PublishReadyToRun=true
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/Sidecar.Host --no-restore -c Release -a "$TARGETARCH" -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnetcore:10.0
WORKDIR /app
COPY --from=build /app ./
# The disk store's directory: a volume, owned by the user the sidecar runs as (a new named volume
# takes this ownership), so the root file system can be mounted read-only.
RUN mkdir -p /var/lib/sidecar && chown "$APP_UID" /var/lib/sidecar
# The sidecar listens where its own settings say (Sidecar:RateLimit, Sidecar:Balance, and HOST/PORT for
# the HTTP endpoint); the base image's ASP.NET Core default port would only add a warning.
ENV ASPNETCORE_HTTP_PORTS= \
    Sidecar__Storage__Directory=/var/lib/sidecar
VOLUME /var/lib/sidecar
# 8081: Envoy's ShouldRateLimit (h2c); 8082: balances from the billing system (gRPC);
# 8080: /livez, /readyz, /healthcheck and /metrics (HTTP/1.1). Each listens on 127.0.0.1 unless
# GRPC_HOST, Sidecar__Balance__Address or HOST says 0.0.0.0 (see envoy/compose.yaml).
EXPOSE 8081 8082 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Sidecar.Host.dll"]
