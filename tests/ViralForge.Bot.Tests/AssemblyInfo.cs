// Bot tests start whole hosts and browsers; on a 2-core CI machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
