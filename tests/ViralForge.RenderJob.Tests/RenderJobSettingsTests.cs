using ViralForge.RenderJob;

namespace ViralForge.RenderJob.Tests;

public sealed class RenderJobSettingsTests
{
    private const string JobId = "3f2b8c1e-5d4a-4e7b-9c1d-2a6f8e0b4c3d";

    private static Dictionary<string, string?> Valid() => new()
    {
        ["VF_JOB_ID"] = JobId,
        ["VF_GENERATION"] = "2",
    };

    private static IReadOnlyList<string> Problems(Dictionary<string, string?> environment) =>
        Assert.Throws<RenderJobSettingsException>(() => RenderJobSettings.FromEnvironment(environment)).Problems;

    [Fact]
    public void Reads_the_job_and_generation_and_defaults_to_the_first_attempt_off_Cloud_Run()
    {
        var settings = RenderJobSettings.FromEnvironment(Valid());

        Assert.Equal(Guid.Parse(JobId), settings.JobId);
        Assert.Equal(2, settings.Generation);
        Assert.Equal(0, settings.TaskAttempt);
        Assert.Null(settings.Execution);
        Assert.Null(settings.TaskIndex);
    }

    [Fact]
    public void Reads_the_Cloud_Run_execution_task_and_attempt()
    {
        var environment = Valid();
        environment["CLOUD_RUN_JOB"] = "vf-render";
        environment["CLOUD_RUN_EXECUTION"] = "vf-render-x7k2p";
        environment["CLOUD_RUN_TASK_INDEX"] = "0";
        environment["CLOUD_RUN_TASK_ATTEMPT"] = "3";

        var settings = RenderJobSettings.FromEnvironment(environment);

        Assert.Equal(3, settings.TaskAttempt);
        Assert.Equal("vf-render", settings.CloudRunJob);
        Assert.Equal("vf-render-x7k2p", settings.Execution);
        Assert.Equal(0, settings.TaskIndex);
    }

    [Fact]
    public void Values_are_trimmed()
    {
        var settings = RenderJobSettings.FromEnvironment(new Dictionary<string, string?>
        {
            ["VF_JOB_ID"] = $"  {JobId.ToUpperInvariant()}\n",
            ["VF_GENERATION"] = " 7 ",
        });

        Assert.Equal(Guid.Parse(JobId), settings.JobId);
        Assert.Equal(7, settings.Generation);
    }

    [Fact]
    public void An_empty_environment_names_both_variables()
    {
        Assert.Equal(
            [
                "VF_JOB_ID is not set; pass the job's id (a GUID) as an environment override when running the job.",
                "VF_GENERATION is not set; pass the job's generation (1 or more) as an environment override when running the job.",
            ],
            Problems([]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_job_id_is_not_set(string value)
    {
        var environment = Valid();
        environment["VF_JOB_ID"] = value;

        Assert.Equal(["VF_JOB_ID is not set; pass the job's id (a GUID) as an environment override when running the job."], Problems(environment));
    }

    [Fact]
    public void A_garbled_job_id_is_quoted_back()
    {
        var environment = Valid();
        environment["VF_JOB_ID"] = "3f2b8c1e-5d4a-4e7b-9c1d";

        Assert.Equal(["VF_JOB_ID '3f2b8c1e-5d4a-4e7b-9c1d' is not a GUID."], Problems(environment));
    }

    [Fact]
    public void The_empty_guid_is_refused()
    {
        var environment = Valid();
        environment["VF_JOB_ID"] = Guid.Empty.ToString();

        Assert.Equal(["VF_JOB_ID is the empty GUID; pass the id of an existing job."], Problems(environment));
    }

    [Theory]
    [InlineData("0", "VF_GENERATION 0 must be 1 or more.")]
    [InlineData("-1", "VF_GENERATION -1 must be 1 or more.")]
    [InlineData("one", "VF_GENERATION 'one' is not a whole number.")]
    [InlineData("1.5", "VF_GENERATION '1.5' is not a whole number.")]
    [InlineData("99999999999", "VF_GENERATION '99999999999' is not a whole number.")]
    public void A_bad_generation_says_why(string value, string problem)
    {
        var environment = Valid();
        environment["VF_GENERATION"] = value;

        Assert.Equal([problem], Problems(environment));
    }

    [Theory]
    [InlineData("CLOUD_RUN_TASK_ATTEMPT", "-1")]
    [InlineData("CLOUD_RUN_TASK_ATTEMPT", "first")]
    [InlineData("CLOUD_RUN_TASK_INDEX", "x")]
    public void A_malformed_Cloud_Run_variable_is_reported(string variable, string value)
    {
        var environment = Valid();
        environment[variable] = value;

        Assert.Equal([$"{variable} '{value}' is not a whole number of 0 or more."], Problems(environment));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Problems(new Dictionary<string, string?>
        {
            ["VF_JOB_ID"] = "job-42",
            ["VF_GENERATION"] = "-3",
            ["CLOUD_RUN_TASK_ATTEMPT"] = "x",
        });

        Assert.Equal(
            [
                "VF_JOB_ID 'job-42' is not a GUID.",
                "VF_GENERATION -3 must be 1 or more.",
                "CLOUD_RUN_TASK_ATTEMPT 'x' is not a whole number of 0 or more.",
            ],
            problems);
    }

    [Fact]
    public void Reads_the_process_environment_type()
    {
        // Environment.GetEnvironmentVariables() is a Hashtable: a missing key reads as null, not an exception.
        var environment = new System.Collections.Hashtable { ["VF_JOB_ID"] = JobId, ["VF_GENERATION"] = "1" };

        Assert.Equal(1, RenderJobSettings.FromEnvironment(environment).Generation);
    }
}
