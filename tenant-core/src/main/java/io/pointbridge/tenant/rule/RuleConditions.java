package io.pointbridge.tenant.rule;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.pointbridge.tenant.rule.RuleFailures.ConditionError;
import io.pointbridge.tenant.rule.RuleFailures.InvalidRuleCondition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Compiles and evaluates rule conditions and line filters written in CEL, Google's Common Expression
 * Language: small, side-effect free, guaranteed to terminate, and type-checked against the facts rules may
 * read ({@code event}, {@code member}, and for line filters {@code line}), so that a mistake is found when a
 * rule is saved, with its line and column, not when a purchase meets it.
 */
@Component
class RuleConditions {

    static final int MAX_LENGTH = 2000;

    /** Where an expression sits in a rule, and so which facts it may read. */
    enum Kind {
        /** A rule's condition: {@code event} and {@code member}. */
        CONDITION,
        /** An action's line filter: {@code line} too. */
        LINE_FILTER
    }

    private static final StructType LINE = struct("pointbridge.Line", fields(
        "sku", SimpleType.STRING,
        "category", SimpleType.STRING,
        "quantity", SimpleType.INT,
        "amount", SimpleType.DOUBLE));

    private static final StructType EVENT = struct("pointbridge.Event", fields(
        "type", SimpleType.STRING,
        "amount", SimpleType.DOUBLE,
        "currency", SimpleType.STRING,
        "channel", SimpleType.STRING,
        "store", SimpleType.STRING,
        "reference", SimpleType.STRING,
        "lines", ListType.create(LINE),
        "skus", ListType.create(SimpleType.STRING),
        "categories", ListType.create(SimpleType.STRING),
        "attributes", MapType.create(SimpleType.STRING, SimpleType.DYN),
        "occurredAt", SimpleType.TIMESTAMP,
        "date", SimpleType.STRING,
        "weekday", SimpleType.STRING,
        "hour", SimpleType.INT,
        "month", SimpleType.INT,
        "dayOfMonth", SimpleType.INT,
        "firstOrder", SimpleType.BOOL));

    private static final StructType MEMBER = struct("pointbridge.Member", fields(
        "id", SimpleType.STRING,
        "tier", SimpleType.STRING,
        "tags", ListType.create(SimpleType.STRING),
        "enrolledAt", SimpleType.TIMESTAMP));

    private final CelCompiler conditions;
    private final CelCompiler lineFilters;
    private final CelRuntime runtime;
    private final Cache<Key, CelRuntime.Program> compiled = Caffeine.newBuilder().maximumSize(10_000).build();

    RuleConditions() {
        var options = CelOptions.current()
            // `event.amount > 1000` reads as a marketer means it, though amount is a double and 1000 an int.
            .enableHeterogeneousNumericComparisons(true)
            .maxExpressionCodePointSize(MAX_LENGTH)
            .comprehensionMaxIterations(10_000)
            .build();
        var types = new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return ImmutableList.of(LINE, EVENT, MEMBER);
            }

            @Override
            public Optional<CelType> findType(String name) {
                return types().stream().filter(type -> type.name().equals(name)).findFirst();
            }
        };
        var base = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(options)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setTypeProvider(types)
            .addVar("event", EVENT)
            .addVar("member", MEMBER)
            .setResultType(SimpleType.BOOL);
        this.conditions = base.build();
        this.lineFilters = base.addVar("line", LINE).build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(options).build();
    }

    /** Checks an expression, refusing it with the position of each mistake, named by the request field it came from. */
    void check(Kind kind, String field, String expression) {
        program(kind, field, expression);
    }

    /**
     * Evaluates a checked expression over the facts.
     *
     * @throws EvaluationFailed if it cannot be evaluated, e.g. it reads an attribute the event lacks
     */
    boolean test(Kind kind, String expression, Map<String, Object> facts) {
        try {
            return Boolean.TRUE.equals(program(kind, kind.name().toLowerCase(), expression).eval(facts));
        } catch (CelEvaluationException e) {
            throw new EvaluationFailed(e.getMessage());
        }
    }

    private CelRuntime.Program program(Kind kind, String field, String expression) {
        var key = new Key(kind, expression);
        var program = compiled.getIfPresent(key);
        if (program != null) {
            return program;
        }
        var result = (kind == Kind.CONDITION ? conditions : lineFilters).compile(expression);
        if (result.hasError()) {
            throw new InvalidRuleCondition(field, result.getErrors().stream()
                .map(issue -> new ConditionError(issue.getMessage(), Math.max(issue.getSourceLocation().getLine(), 1),
                    Math.max(issue.getSourceLocation().getColumn(), 0) + 1))
                .toList());
        }
        try {
            program = runtime.createProgram(result.getAst());
        } catch (CelValidationException | CelEvaluationException e) {
            throw new InvalidRuleCondition(field, List.of(new ConditionError(e.getMessage(), 1, 1)));
        }
        compiled.put(key, program);
        return program;
    }

    /** An expression could not be evaluated for these facts; the rule then does not award points. */
    static final class EvaluationFailed extends RuntimeException {
        EvaluationFailed(String message) {
            super(message, null, false, false);
        }
    }

    private record Key(Kind kind, String expression) {
    }

    private static Map<String, CelType> fields(Object... namesAndTypes) {
        var fields = new LinkedHashMap<String, CelType>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            fields.put((String) namesAndTypes[i], (CelType) namesAndTypes[i + 1]);
        }
        return fields;
    }

    private static StructType struct(String name, Map<String, CelType> fields) {
        return StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
            field -> Optional.ofNullable(fields.get(field)));
    }
}
