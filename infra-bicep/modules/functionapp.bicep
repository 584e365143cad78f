// The Flex Consumption (FC1, Linux) plan and the function app, running as the user-assigned identity.
// On Flex Consumption the language runtime lives in functionAppConfig.runtime, not in app settings: the platform
// rejects FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION (and WEBSITE_RUN_FROM_PACKAGE / content-share
// settings), so none of them appear here. Deployment packages come from a blob container (functionAppConfig.deployment).

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (also its default host name prefix).')
param appName string

@description('Azure region.')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (used by the identity-based connections).')
param identityClientId string

@description('Storage account name (AzureWebJobsStorage, Durable Functions, deployment packages).')
param storageAccountName string

@description('Primary blob endpoint of the storage account, ending in "/".')
param blobEndpoint string

@description('Primary queue endpoint of the storage account.')
param queueEndpoint string

@description('Primary table endpoint of the storage account.')
param tableEndpoint string

@description('Blob container Flex Consumption deploys packages from.')
param deploymentContainerName string

@description('Application Insights connection string (identifies the component; not a credential).')
param applicationInsightsConnectionString string

@description('The app\'s own settings (schedules, gateway, Alpaca, risk, strategy); merged over the host settings below.')
param appSettings object

@description('Service name in azure.yaml, set as the azd-service-name tag on the app so that `azd deploy` finds it.')
param azdServiceName string

@description('Upper bound on instances the plan scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance, in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

// Host wiring. AzureWebJobsStorage is identity-based: no connection string and no key, the host authenticates as
// the user-assigned identity (credential + clientId) against the service URIs Durable Functions needs.
// Telemetry goes to Application Insights with Entra ID authentication, because local auth is disabled there.
var hostSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  // Azure.Identity's ManagedIdentityCredential / DefaultAzureCredential read this to pick the user-assigned identity
  // (an app without a system-assigned identity has no default one), e.g. for the app's own tables.
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings resolve as this identity (it holds Key Vault Secrets User).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// The complete app settings collection (this resource replaces whatever was set before, so it is the one place
// settings are defined; change them here or with `az functionapp config appsettings set`, then redeploy with care).
resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: union(hostSettings, appSettings)
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
