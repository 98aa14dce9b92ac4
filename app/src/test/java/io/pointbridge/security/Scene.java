package io.pointbridge.security;

import io.pointbridge.testing.Fixtures.Group;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One group's objects of every {@link IdKind}, each made the first time a call asks for its id and the same ever
 * after, so that a call names objects that belong together (the member's redemption, the member's person) and
 * that a call may use up (a transfer to reverse, a person to erase). A fresh scene is a fresh set of objects of
 * the same group; the group's brands and programs stay.
 */
public final class Scene implements EndpointCalls.Ids {

    private final Group group;
    private final BiFunction<Scene, IdKind, String> maker;
    private final Map<IdKind, String> made = new EnumMap<>(IdKind.class);

    Scene(Group group, BiFunction<Scene, IdKind, String> maker) {
        this.group = group;
        this.maker = maker;
    }

    public Group group() {
        return group;
    }

    @Override
    public String of(IdKind kind) {
        var id = made.get(kind);
        if (id == null) {
            id = maker.apply(this, kind);
            made.putIfAbsent(kind, id);
        }
        return made.get(kind);
    }

    /** Records an id made along with another (a member's person, say), for when it is asked for. */
    void remember(IdKind kind, String id) {
        made.putIfAbsent(kind, id);
    }

    /** Makes an object of every kind now, so that all of them exist before anything is compared. */
    public Scene everyKind() {
        Arrays.stream(IdKind.values()).forEach(this::of);
        return this;
    }

    /** The ids made so far, by kind. */
    public Map<IdKind, String> ids() {
        return Collections.unmodifiableMap(made);
    }
}
