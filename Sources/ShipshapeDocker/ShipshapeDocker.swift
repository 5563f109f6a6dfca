// ShipshapeDocker: a Docker Engine API client over the daemon's unix socket, with registry auth.
