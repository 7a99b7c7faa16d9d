// Each host test starts a full host (its own database, dispatcher and connection pool, and for the
// pipeline tests ffmpeg and espeak-ng). Run them one at a time: in parallel they saturate a 2-core
// CI machine and the private PostgreSQL's socket.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
