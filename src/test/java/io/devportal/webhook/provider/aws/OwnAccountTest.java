package io.devportal.webhook.provider.aws;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OwnAccount}: in Lambda the invoked function's ARN names the webhook's own account, and no
 * STS call is made for it; without one, STS is asked once (a stub of the clients counts the calls).
 */
class OwnAccountTest {

    @Test
    void theAccountOfAnInvokedFunctionArnIsKnownWithoutAnyCall() {
        for (String arn : new String[] {"arn:aws:lambda:us-east-1:111122223333:function:devportal-webhook",
                "arn:aws:lambda:sa-east-1:111122223333:function:devportal-webhook:live",
                "arn:aws:lambda:eu-west-1:111122223333:function:devportal-webhook:7",
                "arn:aws-cn:lambda:cn-north-1:111122223333:function:webhook",
                "arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:webhook:$LATEST"}) {
            OwnAccount own = new OwnAccount();
            int[] asked = {0};
            own.clients = sts(asked, "444455556666");
            own.learnFromFunctionArn(arn);
            assertTrue(own.isKnown(), arn);
            assertEquals("111122223333", own.get(), arn);
            assertEquals(0, asked[0], "STS asked although the ARN named the account: " + arn);
        }
    }

    @Test
    void whatIsNotAnInvokedFunctionArnTeachesNothing() {
        for (String notOne : new String[] {null, "", "devportal-webhook", "arn:aws:iam::111122223333:role/webhook",
                "arn:aws:lambda:us-east-1:1111222233:function:short-account",
                "arn:aws:lambda:us-east-1:111122223333:layer:webhook:1",
                "arn:aws:lambda:us-east-1:111122223333:function:a:b:c"}) {
            OwnAccount own = new OwnAccount();
            int[] asked = {0};
            own.clients = sts(asked, "444455556666");
            own.learnFromFunctionArn(notOne);
            assertFalse(own.isKnown(), String.valueOf(notOne));
            // with nothing learned the account is asked of STS, once
            assertEquals("444455556666", own.get(), String.valueOf(notOne));
            assertEquals("444455556666", own.get(), String.valueOf(notOne));
            assertEquals(1, asked[0], String.valueOf(notOne));
        }
    }

    @Test
    void anAnswerWithoutAnAccountIsNotKeptAndAskedAgain() {
        OwnAccount own = new OwnAccount();
        int[] asked = {0};
        own.clients = sts(asked, "priming");
        assertEquals(null, own.get());
        assertEquals(null, own.get());
        assertEquals(2, asked[0]);
        assertFalse(own.isKnown());
    }

    /** STS's GetCallerIdentity as the webhook's clients ask it, counted. */
    private static AwsClients sts(int[] asked, String account) {
        return new AwsClients() {
            @Override
            String callerAccount() {
                asked[0]++;
                return account;
            }
        };
    }

    @Test
    void theFirstAccountLearnedIsKept() {
        OwnAccount own = new OwnAccount();
        own.learnFromFunctionArn("arn:aws:lambda:us-east-1:111122223333:function:devportal-webhook");
        own.learnFromFunctionArn("arn:aws:lambda:us-east-1:444455556666:function:devportal-webhook");
        assertEquals("111122223333", own.get());
    }
}
