// ShipshapeReconcile: the resource model, the Provider protocol, live state, the plan (diff), the
// executor, rollout strategies and policies.
