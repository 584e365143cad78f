// Parameters for main.bicep with safe defaults: paper trading, trading not halted, modest budgets.
// Secrets are never written here: they are read from environment variables at deployment time and stay empty
// (leaving Key Vault untouched) when those variables are not set.
using './main.bicep'

param namePrefix = 'trading'

// Set by the Azure Developer CLI (`azd up`); only recorded as the azd-env-name tag, empty otherwise.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', '')

// Paper trading. Live trading is switched on only by passing `alpacaEnvironment=live` on the command line
// (see docs/deployment.md); never change it in this file.
param alpacaEnvironment = 'paper'
param haltTrading = false

param tradingSchedule = '0 0 14,15 * * 1-5'
param manageSchedule = '0 */30 13-21 * * 1-5'

param llmGatewayBaseUrl = 'https://api.router.tetrate.ai/v1'
param budgetDailyLimitUsd = '0.83'
param budgetMonthlyLimitUsd = '25'
param budgetTimeZone = 'America/New_York'

param llmGatewayApiKey = readEnvironmentVariable('LLM_GATEWAY_API_KEY', '')
param alpacaApiKeyId = readEnvironmentVariable('ALPACA_API_KEY_ID', '')
param alpacaApiSecretKey = readEnvironmentVariable('ALPACA_API_SECRET_KEY', '')
