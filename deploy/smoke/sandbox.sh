#!/usr/bin/env bash
# A throw-away sandbox in YOUR AWS account for real-aws-smoke.sh (see docs/real-aws.md).
#   eval "$(deploy/smoke/sandbox.sh up [--cognito])"   creates it and prints the SMOKE_* variables
#   deploy/smoke/sandbox.sh down                        deletes what "up" created (read from SMOKE_*)
# "up" makes a REST API devportal-webhook-smoke-<id> with GET /ping (a MOCK integration answering
# 200 {"pong":true}, API key required), deployed to stages "smoke" and "smoke2", and one usage plan
# per stage. With --cognito also a user pool with a domain and a resource server smoke-cc-<id> with
# scope "read" (the client-credentials API of the smoke test). Progress goes to stderr; only the export lines go to stdout.
set -euo pipefail

region="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region 2>/dev/null || true)}}"
[ -n "$region" ] || { echo "set AWS_REGION" >&2; exit 2; }
aws=(aws --region "$region" --output text)
log() { echo "sandbox: $*" >&2; }

up() {
  local run api root ping plan plan2 pool domain
  run="$(date -u +%m%d%H%M%S)$RANDOM"
  api="$("${aws[@]}" apigateway create-rest-api --name "devportal-webhook-smoke-$run" \
           --endpoint-configuration types=REGIONAL --query id)"
  log "REST API $api"
  root="$("${aws[@]}" apigateway get-resources --rest-api-id "$api" --query "items[?path=='/'].id")"
  ping="$("${aws[@]}" apigateway create-resource --rest-api-id "$api" --parent-id "$root" --path-part ping --query id)"
  "${aws[@]}" apigateway put-method --rest-api-id "$api" --resource-id "$ping" --http-method GET \
    --authorization-type NONE --api-key-required >/dev/null
  "${aws[@]}" apigateway put-integration --rest-api-id "$api" --resource-id "$ping" --http-method GET --type MOCK \
    --request-templates '{"application/json":"{\"statusCode\": 200}"}' >/dev/null
  "${aws[@]}" apigateway put-method-response --rest-api-id "$api" --resource-id "$ping" --http-method GET \
    --status-code 200 >/dev/null
  "${aws[@]}" apigateway put-integration-response --rest-api-id "$api" --resource-id "$ping" --http-method GET \
    --status-code 200 --response-templates '{"application/json":"{\"pong\":true}"}' >/dev/null
  "${aws[@]}" apigateway create-deployment --rest-api-id "$api" --stage-name smoke >/dev/null
  sleep 5 # CreateDeployment: 1 request per 5 s per account
  "${aws[@]}" apigateway create-deployment --rest-api-id "$api" --stage-name smoke2 >/dev/null
  log "stages smoke and smoke2"
  plan="$("${aws[@]}" apigateway create-usage-plan --name "devportal-webhook-smoke-$run" \
            --api-stages "apiId=$api,stage=smoke" --query id)"
  plan2="$("${aws[@]}" apigateway create-usage-plan --name "devportal-webhook-smoke-$run-2" \
             --api-stages "apiId=$api,stage=smoke2" --query id)"
  log "usage plans $plan (smoke) and $plan2 (smoke2)"
  echo "export SMOKE_API_ID=$api SMOKE_STAGE=smoke SMOKE_PATH=ping SMOKE_PLAN_ID=$plan SMOKE_UPDATE_PLAN_ID=$plan2"
  if [ "${1:-}" = --cognito ]; then
    pool="$("${aws[@]}" cognito-idp create-user-pool --pool-name "devportal-webhook-smoke-$run" --query UserPool.Id)"
    domain="devportal-webhook-smoke-$run"
    "${aws[@]}" cognito-idp create-user-pool-domain --user-pool-id "$pool" --domain "$domain" >/dev/null
    # the client-credentials API: the id the portal would send for an OAuth-protected API; the
    # webhook needs only its resource server (identifier = API id), not an API Gateway API
    "${aws[@]}" cognito-idp create-resource-server --user-pool-id "$pool" --identifier "smoke-cc-$run" \
      --name "smoke OAuth API" --scopes ScopeName=read,ScopeDescription=read >/dev/null
    log "user pool $pool, domain $domain, resource server smoke-cc-$run with scope read"
    echo "export SMOKE_USER_POOL_ID=$pool SMOKE_COGNITO_DOMAIN=$domain SMOKE_CC_API_ID=smoke-cc-$run" \
         "SMOKE_CC_SCOPES=smoke-cc-$run/read"
  fi
}

down() {
  local api="${SMOKE_API_ID:?set SMOKE_API_ID (the eval of up does)}" plan stages stage pause=0
  for plan in ${SMOKE_PLAN_ID:-} ${SMOKE_UPDATE_PLAN_ID:-}; do
    # a usage plan with API stages cannot be deleted: remove them first
    stages="$("${aws[@]}" apigateway get-usage-plan --usage-plan-id "$plan" \
                --query "apiStages[].join(':', [apiId, stage])" 2>/dev/null || true)"
    for stage in $stages; do
      [ "$stage" = None ] && continue
      sleep "$pause" # UpdateUsagePlan: 1 request per 20 s per account
      pause=20
      "${aws[@]}" apigateway update-usage-plan --usage-plan-id "$plan" \
        --patch-operations "op=remove,path=/apiStages,value=$stage" >/dev/null
    done
    "${aws[@]}" apigateway delete-usage-plan --usage-plan-id "$plan" 2>/dev/null && log "deleted usage plan $plan"
  done
  "${aws[@]}" apigateway delete-rest-api --rest-api-id "$api" && log "deleted REST API $api"
  if [ -n "${SMOKE_USER_POOL_ID:-}" ]; then
    if [ -n "${SMOKE_COGNITO_DOMAIN:-}" ]; then
      "${aws[@]}" cognito-idp delete-user-pool-domain --user-pool-id "$SMOKE_USER_POOL_ID" \
        --domain "$SMOKE_COGNITO_DOMAIN" >/dev/null && log "deleted domain $SMOKE_COGNITO_DOMAIN"
    fi
    "${aws[@]}" cognito-idp delete-user-pool --user-pool-id "$SMOKE_USER_POOL_ID" \
      && log "deleted user pool $SMOKE_USER_POOL_ID"
  fi
}

case "${1:-}" in
  up) up "${2:-}" ;;
  down) down ;;
  *) echo "usage: eval \"\$(sandbox.sh up [--cognito])\" ... sandbox.sh down" >&2; exit 2 ;;
esac
