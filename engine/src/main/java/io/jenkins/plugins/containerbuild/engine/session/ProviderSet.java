package io.jenkins.plugins.containerbuild.engine.session;

import io.jenkins.plugins.containerbuild.engine.session.health.HealthProvider;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a session serves: the given providers behind a health provider, and the methods they announce. */
record ProviderSet(List<SessionProvider> providers, List<String> methods) {
    static ProviderSet of(List<SessionProvider> given) {
        List<SessionProvider> all = new ArrayList<>();
        all.add(new HealthProvider());
        given.stream().filter(p -> !(p instanceof HealthProvider)).forEach(all::add);
        Set<String> methods = new LinkedHashSet<>();
        all.forEach(p -> methods.addAll(p.methodNames()));
        return new ProviderSet(List.copyOf(all), List.copyOf(methods));
    }

    void closeAll() {
        providers.forEach(SessionProvider::close);
    }
}
