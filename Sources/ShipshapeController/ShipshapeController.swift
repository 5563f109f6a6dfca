// ShipshapeController: the reconcile loop, triggers, the state store, the HTTP server, metrics and
// alerts.
