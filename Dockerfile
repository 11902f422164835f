# LeadExchange container image (multi-stage).
#   runtime  (default) - the web app: ASP.NET Core on :8080 as a non-root user
#   migrator           - SDK + dotnet-ef + source; runs scripts/migrate.sh once and exits
# docker-compose.yml builds both. The whole source is copied before restore, rather than the
# .csproj files one by one, so that a project added later cannot silently miss the image.

# --- source: SDK with the solution restored ---------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS source
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
WORKDIR /src
COPY . .
# The web project references the three migrations projects, so this restores all of them.
RUN dotnet restore src/LeadExchange.Web/LeadExchange.Web.csproj

# --- build: publish the web app -----------------------------------------------------------------
FROM source AS build
RUN dotnet publish src/LeadExchange.Web/LeadExchange.Web.csproj \
      -c Release --no-restore -o /app/publish /p:UseAppHost=false

# --- migrator: one-shot schema migration (docker compose service `migrate`) -------------------
FROM source AS migrator
# Built here so the container only applies migrations (MIGRATE_NO_BUILD=1), no compile at run time.
RUN dotnet tool restore \
 && dotnet build src/LeadExchange.Web/LeadExchange.Web.csproj -c Release --no-restore
ENV MIGRATE_CONFIGURATION=Release \
    MIGRATE_NO_BUILD=1
ENTRYPOINT ["bash", "scripts/migrate.sh"]

# --- runtime: the web app -----------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/publish .
# The base image already listens on 8080 (ASPNETCORE_HTTP_PORTS); stated here, and not replaced by
# ASPNETCORE_URLS, which would log an "Overriding HTTP_PORTS" warning at every start.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1
EXPOSE 8080
# APP_UID is the non-root "app" user that the .NET base images define.
USER $APP_UID
ENTRYPOINT ["dotnet", "LeadExchange.Web.dll"]
