-- The shared request-rate budget (model.SharedBudget): one row per AWS account and Region, its GCRA
-- state (the theoretical arrival time, epoch nanoseconds), taken under a row lock by every instance
-- and the CLI before they spend AWS's control-plane budget (docs/real-aws.md). Portable SQL.

CREATE TABLE shared_budget (
    budget_key VARCHAR(512) PRIMARY KEY,
    tat BIGINT NOT NULL
);
