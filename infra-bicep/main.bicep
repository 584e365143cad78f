// TradingFunctions on Azure: a Flex Consumption function app (.NET 10 isolated) with its storage, monitoring,
// Key Vault and role assignments. Deploy into an existing resource group:
//   az deployment group create -g <rg> -f infra-bicep/main.bicep -p infra-bicep/main.bicepparam
// See docs/deployment.md for the whole path from sign-in to a running, paper-trading app.
targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------
// Naming and placement
// ---------------------------------------------------------------------------------------------------------------

@description('Azure region for every resource. Must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Short lowercase prefix (letters and digits, at most 8) used in resource names.')
@minLength(2)
@maxLength(8)
param namePrefix string = 'trading'

@description('Tags applied to every resource.')
param tags object = {
  app: 'TradingFunctions'
}

@description('azd environment name (AZURE_ENV_NAME), recorded as the azd-env-name tag; empty outside azd. Names do not depend on it.')
param environmentName string = ''

@description('Upper bound on instances the Flex Consumption plan scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

// ---------------------------------------------------------------------------------------------------------------
// Secrets: @secure(), empty by default, never written to a file. Non-empty values are stored in Key Vault;
// empty ones leave the vault as it is (set them later with `az keyvault secret set`).
// ---------------------------------------------------------------------------------------------------------------

@description('TARS / OpenAI-compatible gateway API key (stored in Key Vault as llm-gateway-api-key).')
@secure()
param llmGatewayApiKey string = ''

@description('Alpaca API key id (stored in Key Vault as alpaca-api-key-id).')
@secure()
param alpacaApiKeyId string = ''

@description('Alpaca API secret key (stored in Key Vault as alpaca-api-secret-key).')
@secure()
param alpacaApiSecretKey string = ''

// ---------------------------------------------------------------------------------------------------------------
// Trading mode. Paper is the default and the only value any committed file uses. Live trading with real money
// happens only when a deployment passes alpacaEnvironment=live explicitly on the command line.
// ---------------------------------------------------------------------------------------------------------------

@description('Alpaca environment: "paper" (default, simulated money) or "live" (REAL MONEY; pass explicitly, deliberately).')
@allowed([
  'paper'
  'live'
])
param alpacaEnvironment string = 'paper'

@description('Halt switch: true stops all new entries (Risk__HaltTrading). Position management still runs.')
param haltTrading bool = false

// ---------------------------------------------------------------------------------------------------------------
// Schedules: six-field NCRONTAB, evaluated in UTC (WEBSITE_TIME_ZONE is not set, and Flex Consumption is Linux).
// ---------------------------------------------------------------------------------------------------------------

@description('Entry schedule (UTC). 14:00 and 15:00 UTC on weekdays cover 10:00 New York time in both EDT and EST.')
param tradingSchedule string = '0 0 14,15 * * 1-5'

@description('Position management schedule (UTC): every 30 minutes from 13:00 to 21:59 UTC on weekdays.')
param manageSchedule string = '0 */30 13-21 * * 1-5'

// The Azure Storage provider names its queues, tables and blob containers after the hub: a name it cannot use stops the
// host at start-up, so the length is checked at deployment (the tests check the default's characters).
@description('Durable Functions task hub name (letters and digits, starting with a letter, 3-45 characters).')
@minLength(3)
@maxLength(45)
param taskHubName string = 'TradingHub'

// ---------------------------------------------------------------------------------------------------------------
// Gateway and model budget
// ---------------------------------------------------------------------------------------------------------------

@description('OpenAI-compatible gateway base URL (TARS).')
param llmGatewayBaseUrl string = 'https://api.router.tetrate.ai/v1'

@description('true: refuse to start without a gateway URL instead of falling back to the rules-based council.')
param requireLlmGateway bool = false

@description('Daily LLM spending limit in US dollars (a decimal written as a string).')
param budgetDailyLimitUsd string = '0.83'

@description('Monthly LLM spending limit in US dollars (a decimal written as a string).')
param budgetMonthlyLimitUsd string = '25'

@description('IANA time zone whose calendar days and months bound the budget windows.')
param budgetTimeZone string = 'America/New_York'

@description('Logical model name (from models.json) that every non-critical task uses; CRITICAL tasks ignore it. Empty lets BATS choose.')
param routingForcedModel string = ''

// ---------------------------------------------------------------------------------------------------------------
// Risk limits ("Pct" values are percents of account equity: 2 means 2%)
// ---------------------------------------------------------------------------------------------------------------

param riskMaxRiskPerTradePct string = '2'
param riskMaxTotalOpenRiskPct string = '10'
param riskMaxOpenCondors int = 2
param riskMaxNewCondorsPerDay int = 1
param riskDailyLossLimitPct string = '2'
param riskMaxDrawdownPct string = '10'

@description('Most contracts in one new condor, whatever the risk budget allows.')
param riskMaxContracts int = 2

@description('Sell premium only when the 30-day ATM implied-volatility rank (0-100) is at least this.')
param riskMinIvRankPct string = '20'

// ---------------------------------------------------------------------------------------------------------------
// Iron condor strategy and exits ("Pct" values are percents of the credit received)
// ---------------------------------------------------------------------------------------------------------------

param condorTargetShortDelta string = '0.15'
param condorWingWidthDollars string = '5'
param condorMinDte int = 30
param condorMaxDte int = 45
param exitTakeProfitPct string = '50'
param exitStopLossPct string = '200'
param exitAtDte int = 7

@description('Strategy variants the sampler chooses among: short delta x 100 and wing width in dollars, comma-separated.')
param pipelineVariants string = 'd15-w5,d10-w5,d20-w5'

@description('The schedule\'s entry window, New York time (HH:mm): an entry timer outside it starts no run.')
param scheduleEntryWindowStart string = '09:45'

@description('End of the schedule\'s entry window, New York time (HH:mm).')
param scheduleEntryWindowEnd string = '10:30'

@description('Minimum council confidence (0 to 1) for an approval to count.')
param councilMinApprovalConfidence string = '0.6'

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, namePrefix))
var allTags = empty(environmentName) ? tags : union(tags, { 'azd-env-name': environmentName })
var functionAppName = 'func-${namePrefix}-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 8)}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${namePrefix}-${resourceToken}'
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${namePrefix}-${resourceToken}'
    applicationInsightsName: 'appi-${namePrefix}-${resourceToken}'
    location: location
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${take(namePrefix, 8)}${take(resourceToken, 13)}'
    location: location
    tags: allTags
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    name: 'kv-${take(namePrefix, 8)}-${take(resourceToken, 12)}'
    location: location
    tags: allTags
    llmGatewayApiKey: llmGatewayApiKey
    alpacaApiKeyId: alpacaApiKeyId
    alpacaApiSecretKey: alpacaApiSecretKey
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
  }
}

// Every setting the app itself reads (the Functions host's own wiring is added in modules/functionapp.bicep).
// tests/Trading.Infra.Tests compares these names with local.settings.json.example and AppSettingNames.All.
var tradingSettings = {
  TASKHUB_NAME: taskHubName
  TRADING_SCHEDULE: tradingSchedule
  MANAGE_SCHEDULE: manageSchedule
  Storage__TableServiceUri: storage.outputs.tableEndpoint
  LLM_GATEWAY_BASE_URL: llmGatewayBaseUrl
  LLM_GATEWAY_API_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.llmGatewayApiKeySecretUri})'
  REQUIRE_LLM_GATEWAY: string(requireLlmGateway)
  Budget__DailyLimitUsd: budgetDailyLimitUsd
  Budget__MonthlyLimitUsd: budgetMonthlyLimitUsd
  Budget__TimeZone: budgetTimeZone
  Routing__ForcedModel: routingForcedModel
  ALPACA_API_KEY_ID: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.alpacaApiKeyIdSecretUri})'
  ALPACA_API_SECRET_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.alpacaApiSecretKeySecretUri})'
  Alpaca__Environment: alpacaEnvironment
  Risk__MaxRiskPerTradePct: riskMaxRiskPerTradePct
  Risk__MaxTotalOpenRiskPct: riskMaxTotalOpenRiskPct
  Risk__MaxOpenCondors: string(riskMaxOpenCondors)
  Risk__MaxNewCondorsPerDay: string(riskMaxNewCondorsPerDay)
  Risk__DailyLossLimitPct: riskDailyLossLimitPct
  Risk__MaxDrawdownPct: riskMaxDrawdownPct
  Risk__HaltTrading: string(haltTrading)
  Risk__MaxContracts: string(riskMaxContracts)
  Risk__MinIvRankPct: riskMinIvRankPct
  Condor__TargetShortDelta: condorTargetShortDelta
  Condor__WingWidthDollars: condorWingWidthDollars
  Condor__MinDte: string(condorMinDte)
  Condor__MaxDte: string(condorMaxDte)
  Exit__TakeProfitPct: exitTakeProfitPct
  Exit__StopLossPct: exitStopLossPct
  Exit__ExitAtDte: string(exitAtDte)
  Council__MinApprovalConfidence: councilMinApprovalConfidence
  Pipeline__Variants: pipelineVariants
  Schedule__EntryWindowStart: scheduleEntryWindowStart
  Schedule__EntryWindowEnd: scheduleEntryWindowEnd
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  params: {
    planName: 'plan-${namePrefix}-${resourceToken}'
    appName: functionAppName
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    appSettings: tradingSettings
    // azure.yaml's service name: `azd deploy` finds the app to deploy to by this tag.
    azdServiceName: 'api'
    maximumInstanceCount: maximumInstanceCount
  }
  // The host reaches storage and Key Vault as the identity on first start: grant the roles first.
  dependsOn: [
    rbac
  ]
}

output functionAppName string = functionApp.outputs.name
output defaultHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output alpacaEnvironment string = alpacaEnvironment
