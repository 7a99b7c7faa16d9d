// The render tests run FFmpeg (one at full size, slowest preset, until it is stopped) and the lint tests
// run node. One at a time, as the host tests do: in parallel they saturate a 2-core CI machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
