package io.devportal.webhook.ledger;

import io.quarkus.test.junit.QuarkusTest;

/** The shared budget in table shared_budget (V8) of the embedded H2. */
@QuarkusTest
class H2SharedBudgetTest extends SharedBudgetContract {
}
