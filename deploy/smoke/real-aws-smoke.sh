#!/usr/bin/env bash
# Opt-in smoke test of devportal-webhook against REAL AWS, with your own credentials, in a sandbox.
# Never run by CI. It starts the webhook (aws provider) on this machine, issues an API key through
# it, calls your API with the key as a client would, updates, revokes, checks that the key is gone
# from API Gateway and refused by your API, and optionally does the same for a Cognito app client.
# Whatever happens (failure, Ctrl-C), it deletes what it created and stops the webhook.
# Inputs, set-up of a sandbox and costs: docs/real-aws.md. Usage: real-aws-smoke.sh [--help]
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: SMOKE_API_ID=... SMOKE_STAGE=... SMOKE_PLAN_ID=... deploy/smoke/real-aws-smoke.sh

Required (a sandbox: every resource below must exist; none is created or changed by this script
except the API keys and app clients it issues and deletes):
  SMOKE_API_ID          REST API id with a method that requires an API key (apiKeyRequired)
  SMOKE_STAGE           its deployed stage
  SMOKE_PLAN_ID         a usage plan that serves SMOKE_API_ID's SMOKE_STAGE
  AWS credentials and region as the AWS CLI finds them (AWS_PROFILE, AWS_ACCESS_KEY_ID..., AWS_REGION)
Optional:
  SMOKE_PATH            resource path to call under the stage, without leading slash (default: empty)
  SMOKE_METHOD          HTTP method of that call (default GET)
  SMOKE_INVOKE_URL      full URL to call instead of https://API.execute-api.REGION.amazonaws.com/STAGE/PATH
  SMOKE_EXPECT_STATUS   what the call answers with a valid key (default 200)
  SMOKE_UPDATE_PLAN_ID  a usage plan serving ANOTHER stage (or API): the update moves the key there and
                        the script checks the first URL then refuses the key. Unset: the update renames.
  SMOKE_UPDATE_API_ID   the API that SMOKE_UPDATE_PLAN_ID serves (default SMOKE_API_ID)
  SMOKE_PROPAGATION_SECONDS  how long to retry a call while API Gateway propagates a change (default 180)
  SMOKE_WEBHOOK_JAR     the webhook (default target/quarkus-app/quarkus-run.jar; built if missing)
  SMOKE_PORT            local port of the webhook (default 18080)
Client credentials, all three to enable (Cognito bills machine-to-machine clients and tokens):
  SMOKE_USER_POOL_ID    the user pool
  SMOKE_COGNITO_DOMAIN  its domain prefix, or a custom-domain URL
  SMOKE_CC_API_ID       the id of an OAuth-protected API (not SMOKE_API_ID) to issue a client for: its
                        scopes are SMOKE_CC_SCOPES, else every scope of the resource server whose
                        identifier is that id
  SMOKE_CC_SCOPES       comma-separated full scope names (server/scope) the token must carry
EOF
}
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  usage
  exit 0
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
api_id="${SMOKE_API_ID:?set SMOKE_API_ID (see --help)}"
stage="${SMOKE_STAGE:?set SMOKE_STAGE (see --help)}"
plan_id="${SMOKE_PLAN_ID:?set SMOKE_PLAN_ID (see --help)}"
resource_path="${SMOKE_PATH:-}"
method="${SMOKE_METHOD:-GET}"
expect="${SMOKE_EXPECT_STATUS:-200}"
update_plan_id="${SMOKE_UPDATE_PLAN_ID:-}"
update_api_id="${SMOKE_UPDATE_API_ID:-$api_id}"
propagation="${SMOKE_PROPAGATION_SECONDS:-180}"
jar="${SMOKE_WEBHOOK_JAR:-$repo/target/quarkus-app/quarkus-run.jar}"
port="${SMOKE_PORT:-18080}"
pool_id="${SMOKE_USER_POOL_ID:-}"
cognito_domain="${SMOKE_COGNITO_DOMAIN:-}"
cc_api_id="${SMOKE_CC_API_ID:-}"
cc_scopes="${SMOKE_CC_SCOPES:-}"

[ "$cc_api_id" != "$api_id" ] || { echo "FAIL: SMOKE_CC_API_ID must differ from SMOKE_API_ID" >&2; exit 2; }
for tool in aws curl java python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is needed on PATH" >&2; exit 2; }
done
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region 2>/dev/null || true)}}"
[ -n "$region" ] || { echo "FAIL: no AWS region: set AWS_REGION" >&2; exit 2; }
export AWS_REGION="$region"
invoke_url="${SMOKE_INVOKE_URL:-https://$api_id.execute-api.$region.amazonaws.com/$stage/$resource_path}"

# The webhook reads credentials through the AWS SDK for Java's default chain. Profiles that need SSO
# or an assumed role are resolved here by the AWS CLI (v2) into temporary environment credentials.
if [ -z "${AWS_ACCESS_KEY_ID:-}" ] && exported="$(aws configure export-credentials --format env 2>/dev/null)"; then
  eval "$exported"
fi

run_id="$(date -u +%Y%m%d%H%M%S)-$RANDOM"
app_name="devportal-webhook smoke $run_id"
developer="smoke+$run_id@example.com"
work="$(mktemp -d "${TMPDIR:-/tmp}/webhook-smoke.XXXXXX")"
chmod 700 "$work"
webhook_pid=""
key_id=""
client_id=""
failed=1

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "---- $*"; }

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  step "clean-up"
  # everything this run may have made, found by the run's unique app name even if its id was never read
  local ids id
  ids="$(aws apigateway get-api-keys --region "$region" --name-query "$app_name" --limit 500 \
           --query 'items[].id' --output text 2>/dev/null)"
  for id in $ids $key_id; do
    [ "$id" = None ] && continue
    if aws apigateway delete-api-key --region "$region" --api-key "$id" 2>/dev/null; then
      echo "deleted API key $id"
    fi
  done
  if [ -n "$pool_id" ]; then
    ids="$(aws cognito-idp list-user-pool-clients --region "$region" --user-pool-id "$pool_id" --max-results 60 \
             --query "UserPoolClients[?starts_with(ClientName, '$app_name')].ClientId" --output text 2>/dev/null)"
    for id in $ids $client_id; do
      [ "$id" = None ] && continue
      if aws cognito-idp delete-user-pool-client --region "$region" --user-pool-id "$pool_id" \
           --client-id "$id" 2>/dev/null; then
        echo "deleted app client $id"
      fi
    done
  fi
  if [ -n "$webhook_pid" ]; then
    kill "$webhook_pid" 2>/dev/null
    wait "$webhook_pid" 2>/dev/null
  fi
  rm -f "$work"/*.secret "$work"/*.json
  if [ "$failed" = 0 ]; then
    rm -rf "$work"
    echo "SMOKE TEST PASSED"
  else
    echo "SMOKE TEST FAILED (exit $rc); the webhook's log: $work/webhook.log" >&2
    [ "$rc" = 0 ] && rc=1
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# json FILE EXPRESSION: a value of the JSON in FILE, e.g. json r.json '["customCredentials"]["tokenUrl"]'
json() {
  python3 -c 'import json, sys; v = eval("json.load(open(sys.argv[1]))" + sys.argv[2]); print(v)' "$1" "$2"
}

# Secrets go to files (mode 600 in a mode 700 directory), never on a command line.
secret_file() {
  local file="$work/$1.secret"
  (umask 077; printf '%s\n' "$2" > "$file")
  echo "$file"
}

webhook_password="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
auth="$(secret_file webhook-auth "user = \"smoke:$webhook_password\"")"

# webhook PATH BODY: POSTs to the webhook; the answer's body in $work/answer.json, its status printed
webhook() {
  curl -sS -K "$auth" -o "$work/answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "$2" "http://127.0.0.1:$port$1"
}

# expect_call WANT WHAT [curl options...]: calls the API until it answers WANT (propagation)
expect_call() {
  local want="$1" what="$2" got deadline=$((SECONDS + propagation))
  shift 2
  while :; do
    got="$(curl -sS -o /dev/null -w '%{http_code}' -X "$method" "$@" "$invoke_url" || echo 000)"
    if [ "$got" = "$want" ]; then
      pass "$what: $want"
      return
    fi
    [ "$SECONDS" -ge "$deadline" ] && fail "$what: wanted $want, last answer $got after ${propagation}s"
    sleep 5
  done
}

step "preflight: identity, the sandbox's API, stage and plan"
aws sts get-caller-identity --region "$region" --query Arn --output text
aws apigateway get-stage --region "$region" --rest-api-id "$api_id" --stage-name "$stage" --query stageName \
  --output text >/dev/null || fail "stage $stage of API $api_id not found"
stages="$(aws apigateway get-usage-plan --region "$region" --usage-plan-id "$plan_id" \
            --query 'apiStages[].[apiId,stage]' --output text)" || fail "usage plan $plan_id not found"
awk -v api="$api_id" -v stage="$stage" '$1 == api && $2 == stage { found = 1 } END { exit !found }' \
  <<<"$stages" || fail "usage plan $plan_id does not serve $api_id:$stage"
pass "plan $plan_id serves $api_id:$stage"

step "start the webhook (aws provider) on port $port"
if [ ! -f "$jar" ]; then
  (cd "$repo" && ./mvnw -B -q package -DskipTests)
fi
java_props=(-Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 -Dquarkus.management.port=0
            -Dquarkus.management.host=127.0.0.1 -Dwebhook.provider=aws
            -Dwebhook.data-dir="$work/data" -Dwebhook.username=smoke)
[ -n "$pool_id" ] && java_props+=(-Dwebhook.cognito.user-pool-id="$pool_id")
[ -n "$cognito_domain" ] && java_props+=(-Dwebhook.cognito.domain="$cognito_domain")
if [ -n "$cc_api_id" ]; then
  java_props+=("-Dwebhook.apis.\"$cc_api_id\".credential-type=CLIENT_CREDENTIALS")
  [ -n "$cc_scopes" ] && java_props+=("-Dwebhook.apis.\"$cc_api_id\".scopes=$cc_scopes")
fi
WEBHOOK_PASSWORD="$webhook_password" java "${java_props[@]}" -jar "$jar" >"$work/webhook.log" 2>&1 &
webhook_pid=$!
deadline=$((SECONDS + 90))
until [ "$(curl -sS -K "$auth" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/health" 2>/dev/null)" = 204 ]; do
  kill -0 "$webhook_pid" 2>/dev/null || fail "the webhook stopped: see $work/webhook.log"
  [ "$SECONDS" -ge "$deadline" ] && fail "the webhook's /v1/health did not answer 204 within 90 s (AWS access?)"
  sleep 1
done
pass "webhook healthy (it reached API Gateway and, if configured, the user pool)"

step "API key: create"
status="$(webhook /v1/createCredentials "{\"appName\":\"$app_name\",\"developer\":\"$developer\",
  \"apis\":[{\"id\":\"$api_id\",\"usagePlans\":[{\"id\":\"$plan_id\"}]}]}")"
[ "$status" = 200 ] || fail "create answered $status: $(cat "$work/answer.json")"
[ "$(json "$work/answer.json" '["credentialType"]')" = API_KEY ] || fail "create did not issue an API_KEY"
key_id="$(json "$work/answer.json" '["apiKeyId"]')"
key_header="$(secret_file key-header "x-api-key: $(json "$work/answer.json" '["apiKey"]')")"
rm -f "$work/answer.json"
pass "issued API key $key_id"
[ "$(aws apigateway get-usage-plans --region "$region" --key-id "$key_id" --query 'items[].id' --output text)" \
  = "$plan_id" ] || fail "API key $key_id is not on exactly plan $plan_id"
pass "API key $key_id is on plan $plan_id"

step "API key: use it"
expect_call 403 "call without a key"
expect_call "$expect" "call with the key" -H "@$key_header"

step "API key: update"
if [ -n "$update_plan_id" ]; then
  status="$(webhook /v1/updateCredentials "{\"apiKeyId\":\"$key_id\",
    \"apis\":[{\"id\":\"$update_api_id\",\"usagePlans\":[{\"id\":\"$update_plan_id\"}]}]}")"
  [ "$status" = 204 ] || fail "update answered $status: $(cat "$work/answer.json")"
  plans="$(aws apigateway get-usage-plans --region "$region" --key-id "$key_id" --query 'items[].id' --output text)"
  [ "$plans" = "$update_plan_id" ] || fail "after the update the key is on plans [$plans], not [$update_plan_id]"
  pass "the key moved to plan $update_plan_id"
  expect_call 403 "call with the key on the stage it left" -H "@$key_header"
else
  status="$(webhook /v1/updateCredentials "{\"apiKeyId\":\"$key_id\",\"appName\":\"$app_name renamed\",
    \"apis\":[{\"id\":\"$api_id\",\"usagePlans\":[{\"id\":\"$plan_id\"}]}]}")"
  [ "$status" = 204 ] || fail "update answered $status: $(cat "$work/answer.json")"
  name="$(aws apigateway get-api-key --region "$region" --api-key "$key_id" --query name --output text)"
  [[ "$name" == "$app_name renamed"* ]] || fail "after the update the key is named '$name'"
  pass "the key was renamed to '$name'"
  expect_call "$expect" "call with the key after the update" -H "@$key_header"
fi

step "API key: revoke"
status="$(webhook /v1/revokeCredentials "{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"$key_id\"}")"
[ "$status" = 204 ] || fail "revoke answered $status: $(cat "$work/answer.json")"
if aws apigateway get-api-key --region "$region" --api-key "$key_id" >/dev/null 2>"$work/get-api-key.err"; then
  fail "API key $key_id still exists after the revoke"
fi
grep -q NotFoundException "$work/get-api-key.err" || fail "GetApiKey after revoke: $(cat "$work/get-api-key.err")"
pass "GetApiKey $key_id: NotFoundException"
expect_call 403 "call with the revoked key" -H "@$key_header"
status="$(webhook /v1/revokeCredentials "{\"apiKeyId\":\"$key_id\"}")"
[ "$status" = 204 ] || fail "a second revoke answered $status"
pass "a second revoke is 204"

if [ -n "$pool_id" ] && [ -n "$cognito_domain" ] && [ -n "$cc_api_id" ]; then
  step "client credentials: create"
  status="$(webhook /v1/createCredentials "{\"appName\":\"$app_name\",\"developer\":\"$developer\",
    \"apis\":[{\"id\":\"$cc_api_id\"}]}")"
  [ "$status" = 200 ] || fail "create answered $status: $(cat "$work/answer.json")"
  [ "$(json "$work/answer.json" '["credentialType"]')" = CLIENT_CREDENTIALS ] || fail "create did not issue a client"
  client_id="$(json "$work/answer.json" '["clientId"]')"
  token_url="$(json "$work/answer.json" '["customCredentials"]["tokenUrl"]')"
  client_auth="$(secret_file client-auth "user = \"$client_id:$(json "$work/answer.json" '["clientSecret"]')\"")"
  rm -f "$work/answer.json"
  pass "issued app client $client_id, token URL $token_url"

  step "client credentials: get a token"
  deadline=$((SECONDS + propagation))
  until [ "$(curl -sS -K "$client_auth" -o "$work/token.json" -w '%{http_code}' -d grant_type=client_credentials \
               "$token_url")" = 200 ]; do
    [ "$SECONDS" -ge "$deadline" ] && fail "no token within ${propagation}s: $(cat "$work/token.json")"
    sleep 5
  done
  scope="$(python3 -c 'import base64, json, sys
t = json.load(open(sys.argv[1]))["access_token"].split(".")[1]
print(json.loads(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)))["scope"])' "$work/token.json")"
  rm -f "$work/token.json"
  if [ -n "$cc_scopes" ]; then
    [ "$(tr ' ' '\n' <<<"$scope" | sort | paste -sd,)" = "$(tr ',' '\n' <<<"$cc_scopes" | sort | paste -sd,)" ] \
      || fail "the token carries scopes '$scope', not $cc_scopes"
  fi
  pass "token with scopes: $scope"

  step "client credentials: revoke"
  status="$(webhook /v1/revokeCredentials "{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"$client_id\"}")"
  [ "$status" = 204 ] || fail "revoke answered $status: $(cat "$work/answer.json")"
  if aws cognito-idp describe-user-pool-client --region "$region" --user-pool-id "$pool_id" --client-id "$client_id" \
       >/dev/null 2>"$work/describe.err"; then
    fail "app client $client_id still exists after the revoke"
  fi
  grep -q ResourceNotFoundException "$work/describe.err" || fail "DescribeUserPoolClient: $(cat "$work/describe.err")"
  pass "DescribeUserPoolClient $client_id: ResourceNotFoundException"
  deadline=$((SECONDS + propagation))
  until curl -sS -K "$client_auth" -d grant_type=client_credentials "$token_url" | grep -q invalid_client; do
    [ "$SECONDS" -ge "$deadline" ] && fail "the token endpoint still accepts the revoked client"
    sleep 5
  done
  pass "token endpoint: invalid_client for the revoked client"
else
  step "client credentials: skipped (set SMOKE_USER_POOL_ID, SMOKE_COGNITO_DOMAIN and SMOKE_CC_API_ID)"
fi

failed=0
