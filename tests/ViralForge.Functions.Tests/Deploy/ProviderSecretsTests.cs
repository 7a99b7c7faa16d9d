using ViralForge.Core.Providers;

namespace ViralForge.Functions.Tests.Deploy;

/// <summary>The paid providers' keys in production: from Secret Manager, to the stage services, only when configured.</summary>
public sealed class ProviderSecretsTests
{
    private static readonly CloudBuildFile Build = CloudBuildFile.Load();

    [Theory]
    [InlineData("_OPENAI_KEY_SECRET", "OpenAI__ApiKey")]
    [InlineData("_ELEVENLABS_KEY_SECRET", "ElevenLabs__ApiKey")]
    public void A_provider_key_comes_from_its_secret_only_when_the_secret_is_named(string substitution, string variable)
    {
        var step = Build.Steps["deploy-services"];
        var stage = CloudBuildFile.Function(step, "deploy_stage");

        // Unset by default: a deployment without the vendor's secret keeps the offline provider.
        Assert.Equal("", Build.Defaults[substitution]);
        Assert.Contains($"if [ -n \"${{{substitution}}}\" ]; then providers+=\",{variable}=${{{substitution}}}:latest\"; fi", step, StringComparison.Ordinal);
        // Named once in the whole file, as a secret: never a plain environment variable.
        Assert.Single(CloudBuildFile.EnvValues(Build.Text, variable));
        Assert.Equal(["$$database$$providers"], CloudBuildFile.QuotedFlagValues(stage, "--set-secrets"));
        Assert.Equal(variable.Replace("__", ":", StringComparison.Ordinal), variable == "OpenAI__ApiKey" ? ProviderKeys.OpenAI : ProviderKeys.ElevenLabs);
    }
}
