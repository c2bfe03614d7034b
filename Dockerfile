# erp-sync runtime image. Build: docker build -t erp-sync .
# Run:   docker run --rm --read-only --tmpfs /tmp -e ERP_BASE_URL=... -e ERP_USERNAME=... -e ERP_PASSWORD=... \
#          -e WMS_DATASOURCE_URL=... -e WMS_QUERY="..." -e STORE_DATASOURCE_URL=... erp-sync
# routes/ and application.properties sit beside the jar and can be mounted over:
#        -v $PWD/routes:/opt/erp-sync/routes -v $PWD/application.properties:/opt/erp-sync/application.properties

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline -DskipTests || true
COPY src ./src
COPY routes ./routes
COPY application.properties ./
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system erpsync && useradd --system --gid erpsync --uid 10001 --home-dir /opt/erp-sync erpsync
WORKDIR /opt/erp-sync
COPY --from=build /src/target/erp-sync.jar ./erp-sync.jar
COPY routes ./routes
COPY application.properties ./
RUN mkdir data && chown erpsync:erpsync data
# the class-data-sharing archive from a training run (README: Start-up): about half the start-up time
RUN java -XX:ArchiveClassesAtExit=/opt/erp-sync/erp-sync.jsa -jar erp-sync.jar --training-run
USER erpsync
# nothing embedded in a container: the operator's settings come from the environment
ENV CAMEL_MAIN_PROFILE=prod
# health, metrics and the status page must be reachable from outside the container; replay from the
# page stays off until management authentication is set (CAMEL_MANAGEMENT_AUTHENTICATIONENABLED=true,
# CAMEL_MANAGEMENT_BASICPROPERTIESFILE=/run/secrets/management-users.properties; README: Status page)
ENV CAMEL_MANAGEMENT_HOST=0.0.0.0
# 8080: health (/observe/health), Prometheus metrics (/observe/metrics), the status page (/status/);
# 9010: remote JMX, off until enabled
EXPOSE 8080 9010
# works with a read-only root filesystem (docker run --read-only --tmpfs /tmp): Vert.x's file cache
# goes to /tmp, the JVM keeps no perf data file; nothing else is written outside the store database
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:SharedArchiveFile=/opt/erp-sync/erp-sync.jsa", "-XX:-UsePerfData", \
            "-Dvertx.cacheDirBase=/tmp/vertx-cache", "-jar", "erp-sync.jar"]
