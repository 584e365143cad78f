// Key Vault in RBAC mode for the three secrets the app needs: the TARS gateway key and the Alpaca key pair.
// A secret is written only when its @secure() parameter is non-empty, so a redeploy without secrets leaves the
// values already in the vault (for example those set with `az keyvault secret set`) untouched.
// The app settings reference the versionless secret URIs below, which resolve to the latest version.

@description('Key Vault name: 3-24 letters, digits and hyphens, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault.')
param tags object

@description('TARS / OpenAI-compatible gateway API key. Empty: leave the vault as it is.')
@secure()
param llmGatewayApiKey string = ''

@description('Alpaca API key id. Empty: leave the vault as it is.')
@secure()
param alpacaApiKeyId string = ''

@description('Alpaca API secret key. Empty: leave the vault as it is.')
@secure()
param alpacaApiSecretKey string = ''

// Secret names in the vault (letters, digits and hyphens only).
var llmGatewayApiKeySecretName = 'llm-gateway-api-key'
var alpacaApiKeyIdSecretName = 'alpaca-api-key-id'
var alpacaApiSecretKeySecretName = 'alpaca-api-secret-key'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access is granted with Azure roles (Key Vault Secrets User for the app), never with access policies.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource llmGatewayApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(llmGatewayApiKey)) {
  parent: vault
  name: llmGatewayApiKeySecretName
  properties: {
    value: llmGatewayApiKey
  }
}

resource alpacaApiKeyIdSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(alpacaApiKeyId)) {
  parent: vault
  name: alpacaApiKeyIdSecretName
  properties: {
    value: alpacaApiKeyId
  }
}

resource alpacaApiSecretKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(alpacaApiSecretKey)) {
  parent: vault
  name: alpacaApiSecretKeySecretName
  properties: {
    value: alpacaApiSecretKey
  }
}

output name string = vault.name
output id string = vault.id
// Built from the vault URI (which ends in '/') rather than from the conditional secret resources, so the
// references stay valid when a secret is added later with the CLI.
output llmGatewayApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${llmGatewayApiKeySecretName}'
output alpacaApiKeyIdSecretUri string = '${vault.properties.vaultUri}secrets/${alpacaApiKeyIdSecretName}'
output alpacaApiSecretKeySecretUri string = '${vault.properties.vaultUri}secrets/${alpacaApiSecretKeySecretName}'
