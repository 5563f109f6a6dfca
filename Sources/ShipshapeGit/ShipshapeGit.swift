// ShipshapeGit: clone and fetch the config repository with libgit2, resolve refs, and read the
// manifests from a commit's tree without a work tree. Every libgit2 call blocks, so all of them run
// on a dedicated thread, never on the cooperative pool.
