#!/usr/bin/env bash
# A real standalone deployment on this machine, without Docker or a Flink download: a Kafka broker
# (Kafka's own KRaft server) in its own JVM, a Flink JobManager and a TaskManager in their own JVMs
# (the entry points of the Flink distribution, from the Maven-resolved class path), the job submitted
# as the shaded cluster jar over Flink's REST API, as on any Flink cluster.
#
#   deploy/standalone/cluster.sh start     # broker + JobManager + TaskManager, then submit the job
#   deploy/standalone/cluster.sh status    # processes, job state, checkpoints
#   deploy/standalone/cluster.sh stop      # cancel the job, stop every process, keep the logs
#   deploy/standalone/cluster.sh --help
#
# Then, for example:  ./ecg simulate --bootstrap-servers 127.0.0.1:9092 --patients 4 --duration 2m --preset vt
#                     kcat -b 127.0.0.1:9092 -t ecg.alerts.v1 -X isolation.level=read_committed -C -e
#
# Environment: ECG_KAFKA_PORT (9092), ECG_FLINK_REST_PORT (8081), ECG_FLINK_RPC_PORT (6123),
# ECG_PARALLELISM (2, the TaskManager's slots), ECG_STANDALONE_DIR (logs, pids and checkpoints;
# default deploy/standalone/.run), ECG_JOB_ARGS (extra job settings, e.g. "--checkpoint.interval.ms
# 2000"; see JobConfig for the keys), ECG_STARTING_OFFSETS (latest: frames sent after the job started;
# earliest, committed); ECG_CLASSPATH and ECG_JOB_JAR (a class path and a job jar
# to use instead of building them: what StandaloneClusterIT passes).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUN="${ECG_STANDALONE_DIR:-$HERE/.run}"
KAFKA_PORT="${ECG_KAFKA_PORT:-9092}"
REST_PORT="${ECG_FLINK_REST_PORT:-8081}"
REST="http://127.0.0.1:$REST_PORT"
PARALLELISM="${ECG_PARALLELISM:-2}"
RPC_PORT="${ECG_FLINK_RPC_PORT:-6123}"
JOB_JAR_GLOB="$ROOT/flink-job/target/flink-job-*-cluster.jar"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

die() { echo "cluster.sh: $*" >&2; exit 1; }

# Everything built: the launcher's class path (.ecg/classpath.txt) and the shaded job jar.
ensure_built() {
  if [[ -n "${ECG_CLASSPATH:-}" && -n "${ECG_JOB_JAR:-}" ]]; then
    [[ -f "$ECG_JOB_JAR" ]] || die "ECG_JOB_JAR $ECG_JOB_JAR does not exist"
    return
  fi
  "$ROOT/ecg" --help >/dev/null || die "build failed (see $ROOT/.ecg/build.log)"
  if ! compgen -G "$JOB_JAR_GLOB" >/dev/null; then
    echo "building the job jar ..." >&2
    (cd "$ROOT" && mvn -B -q -Dmaven.test.skip=true -pl flink-job -am package) || die "job jar build failed"
  fi
}

job_jar() { if [[ -n "${ECG_JOB_JAR:-}" ]]; then echo "$ECG_JOB_JAR"; else compgen -G "$JOB_JAR_GLOB" | head -n 1; fi; }

full_classpath() { if [[ -n "${ECG_CLASSPATH:-}" ]]; then echo "$ECG_CLASSPATH"; else cat "$ROOT/.ecg/classpath.txt"; fi; }

# The cluster's class path: the launcher's (or ECG_CLASSPATH), without our own modules, the Kafka connector and the
# Kafka clients, which the job jar brings (loading them from both would mix two copies of one class).
cluster_classpath() {
  full_classpath | tr ':' '\n' \
    | grep -v -e "^$ROOT/" -e '/io/ecgsentinel/' -e '/org/apache/kafka/' -e 'flink-connector-kafka' \
    | paste -sd:
}

# JVM options (first line) and dynamic properties (second line) for GET_JM_RESOURCE_PARAMS or
# GET_TM_RESOURCE_PARAMS.
resource_params() {
  local out
  out="$(java -cp "$1" org.apache.flink.runtime.util.bash.BashJavaUtils "$2" --configDir "$HERE/conf" 2>&1)" \
      || die "BashJavaUtils $2 failed: $out"
  echo "$out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' | tail -n 2
}

# The module openings Flink's distribution gives its JVMs on Java 17 (its env.java.default-opts.all):
# Flink's type extraction and client reflect into java.util and friends.
FLINK_JAVA_OPTS="--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

pid_alive() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start_jvm() { # name, main class, class path, args...
  local name=$1 main=$2 cp=$3
  shift 3
  if pid_alive "$name"; then
    echo "$name already running (pid $(cat "$RUN/$name.pid"))"
    return
  fi
  nohup java -Dlog.file="$RUN/$name.log" -Dlog4j2.configurationFile="$HERE/conf/log4j2.properties" \
      -Dai.djl.offline=true ${JVM_OPTS:-} -cp "$cp" "$main" "$@" >"$RUN/$name.out" 2>&1 &
  echo $! >"$RUN/$name.pid"
  echo "$name started (pid $!, log $RUN/$name.log)"
}

wait_for() { # description, seconds, command...
  local what=$1 secs=$2
  shift 2
  for _ in $(seq "$secs"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what did not come up within $secs s (logs in $RUN)"
}

rest() { curl -fsS "$REST$1"; }

running_job() { rest /jobs/overview | grep -o '"jid":"[0-9a-f]*","name":"ecg-sentinel","start-time":[0-9]*,"end-time":-1' \
  | head -n 1 | sed 's/"jid":"\([0-9a-f]*\)".*/\1/' || true; }

start() {
  ensure_built
  mkdir -p "$RUN/checkpoints"
  local full cluster
  full="$(full_classpath)"
  cluster="$(cluster_classpath)"
  # Kafka: its own JVM, KRaft, topics of the job created up front
  JVM_OPTS="-Xmx1g" start_jvm kafka io.ecgsentinel.kafka.EmbeddedKafkaMain "$full" --port "$KAFKA_PORT" \
      --topic ecg.frames.v1:4 --topic ecg.alerts.v1:1 --topic ecg.deadletter.v1:1 --topic ecg.truth.v1:1
  wait_for "Kafka on port $KAFKA_PORT" 60 grep -q "^bootstrap.servers=" "$RUN/kafka.out"
  # Flink: JobManager, then a TaskManager with 2 slots
  # JVM sizes and memory settings derived from conf/config.yaml by Flink's own BashJavaUtils, as the
  # distribution's start scripts do
  local jm_jvm jm_dyn tm_jvm tm_dyn
  { read -r jm_jvm; read -r jm_dyn; } < <(resource_params "$cluster" GET_JM_RESOURCE_PARAMS)
  { read -r tm_jvm; read -r tm_dyn; } < <(resource_params "$cluster" GET_TM_RESOURCE_PARAMS)
  # shellcheck disable=SC2086
  JVM_OPTS="$jm_jvm $FLINK_JAVA_OPTS" start_jvm jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
      "$cluster" --configDir "$HERE/conf" $jm_dyn -D "rest.port=$REST_PORT" -D "jobmanager.rpc.port=$RPC_PORT"
  wait_for "the JobManager's REST API at $REST" 90 rest /overview
  # shellcheck disable=SC2086
  JVM_OPTS="$tm_jvm $FLINK_JAVA_OPTS" start_jvm taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      "$cluster" --configDir "$HERE/conf" $tm_dyn -D "jobmanager.rpc.port=$RPC_PORT"
  wait_for "a TaskManager" 90 sh -c "curl -fsS $REST/overview | grep -q '\"taskmanagers\":[1-9]'"
  if [[ -n "$(running_job)" ]]; then
    echo "job already running: $(running_job)"
    return
  fi
  # Submit the shaded job jar over REST, as to any Flink cluster
  local upload jar_id args
  upload="$(curl -fsS -X POST -H 'Expect:' -F "jarfile=@$(job_jar)" "$REST/jars/upload")" || die "jar upload failed"
  jar_id="$(echo "$upload" | sed 's/.*"filename":"[^"]*\/\([^"/]*\)".*/\1/')"
  # shellcheck disable=SC2086
  args=(--bootstrap.servers "127.0.0.1:$KAFKA_PORT" --model.dir "$ROOT/models/ecg-lstm/$(ls "$ROOT/models/ecg-lstm" | sort -n | tail -n 1)"
        --checkpoint.dir "file://$RUN/checkpoints" --checkpoint.interval.ms 1000 --starting.offsets "${ECG_STARTING_OFFSETS:-latest}" ${ECG_JOB_ARGS:-})
  local json
  json="$(printf '"%s",' "${args[@]}")"
  curl -sS -X POST -H 'Content-Type: application/json' -d "{\"parallelism\":$PARALLELISM,\"programArgsList\":[${json%,}]}" \
      "$REST/jars/$jar_id/run" >"$RUN/submit.json" || die "job submission failed (see $RUN/jobmanager.log)"
  grep -q '"jobid"' "$RUN/submit.json" || die "job submission failed: $(cut -c1-2000 "$RUN/submit.json")"
  echo "job submitted: $(cat "$RUN/submit.json")"
  wait_for "the job to run" 60 sh -c "curl -fsS $REST/jobs/overview | grep -q '\"state\":\"RUNNING\"'"
  echo "running: Kafka 127.0.0.1:$KAFKA_PORT, Flink web UI $REST"
}

status() {
  for p in kafka jobmanager taskmanager; do
    if pid_alive "$p"; then echo "$p: running (pid $(cat "$RUN/$p.pid"))"; else echo "$p: not running"; fi
  done
  if rest /overview >/dev/null 2>&1; then
    echo "jobs: $(rest /jobs/overview)"
    local jid
    jid="$(running_job)"
    if [[ -n "$jid" ]]; then
      echo "checkpoints: $(rest "/jobs/$jid/checkpoints" | grep -o '"counts":{[^}]*}')"
    fi
  fi
}

stop() {
  if rest /overview >/dev/null 2>&1; then
    local jid
    jid="$(running_job)"
    if [[ -n "$jid" ]]; then
      curl -fsS -X PATCH "$REST/jobs/$jid?mode=cancel" >/dev/null && echo "job $jid cancelled"
      sleep 2
    fi
  fi
  for p in taskmanager jobmanager kafka; do
    if pid_alive "$p"; then
      kill "$(cat "$RUN/$p.pid")" && echo "$p stopped"
      for _ in $(seq 30); do pid_alive "$p" || break; sleep 1; done
    fi
    rm -f "$RUN/$p.pid"
  done
}

case "${1:-}" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
