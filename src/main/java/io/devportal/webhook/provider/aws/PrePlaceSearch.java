package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.ObservedResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code reconcile --apply --settle-gone}: a resource recorded before places that is not in its
 * target's configured place ({@link PlaceResolver#notFound}), looked for by id in every configured
 * place that could hold it, each place once: an API key in every target's account and Region, an app
 * client in every target's user pool (a pool that does not exist holds none). Found somewhere: that
 * resource, where it lives. Found nowhere: gone, and the target's configured place is where the
 * operator says it lived, once that place is proved the way every "not found" is believed there
 * ({@link AwsPlaces}: its Region holds a usage plan, its user pool exists), so that a revoke's "not
 * found" there is gone. A place that cannot be read (unreachable, access denied, throttled) proves
 * nothing: its failure is thrown, and nothing is settled.
 */
@ApplicationScoped
class PrePlaceSearch {

    @Inject
    AwsTargets targets;

    @Inject
    AwsInventory inventory;

    @Inject
    AwsPlaces places;

    @Inject
    PlaceResolver where;

    CredentialProvider.Whereabouts of(ResourceRef ref) {
        boolean key = ApiKeys.TYPE.equals(ref.type());
        AwsTarget home = targets.of(ref);
        if (key) {
            places.proveApiGatewayRegion(home);
        } else {
            places.proveUserPool(home, home.userPoolId());
        }
        Place lived = key ? where.of(home) : where.ofClient(home, home.userPoolId());
        Set<Place> looked = new HashSet<>();
        for (AwsTarget t : targets.all()) {
            if (!key && t.ownUserPool().isEmpty()) {
                continue;
            }
            Place place = key ? where.of(t) : where.ofClient(t, t.userPoolId());
            if (looked.add(place)) {
                // a recorded place: "not found" is this place's answer, no guess about another
                Optional<ObservedResource> found = inventory.observe(new ResourceRef(ref.type(), ref.id(), ref.name(),
                        ref.operationId(), t.name(), place, null));
                if (found.isPresent()) {
                    return new CredentialProvider.Whereabouts(found.get(), lived);
                }
            }
        }
        return new CredentialProvider.Whereabouts(null, lived);
    }
}
