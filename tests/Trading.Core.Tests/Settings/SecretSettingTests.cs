using Trading.Core.Settings;

namespace Trading.Core.Tests.Settings;

public sealed class SecretSettingTests
{
    [Theory]
    [InlineData("sk-live-123", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData(null, false)]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/llm-gateway-api-key)", false)] // the secret is missing in the vault
    [InlineData(" @microsoft.keyvault(VaultName=kv;SecretName=alpaca)", false)]
    public void An_unresolved_key_vault_reference_is_no_key(string? value, bool usable) =>
        Assert.Equal(usable, SecretSetting.IsUsable(value));
}
