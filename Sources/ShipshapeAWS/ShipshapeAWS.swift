// ShipshapeAWS: a focused AWS client. SigV4, the credential chain (environment, profile files,
// IMDSv2), retries in the SDKs' standard mode, and the EC2, RDS, ECS, ECR, ELBv2, DynamoDB and SSM
// calls the providers need.
