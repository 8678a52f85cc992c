package io.ecgsentinel.models.tools;

import io.ecgsentinel.models.tf.GraphModel;
import io.ecgsentinel.models.train.ModelCard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Development tool, not a test: writes the ensemble SavedModel of already trained models (their
 * outputs averaged, {@link GraphModel#export(List, Path)}) so that an ensemble of fold models can be
 * scored by {@code ecg evaluate --fold-model} without training the members again. Its model card
 * ({@link ModelCard#writeAssembled}) is the first source's with every source's members and command;
 * default models are trained with {@code ecg train --members N}.
 *
 * <pre>
 * java -cp models/target/test-classes:models/target/classes:$(cat /tmp/models-test.cp) \
 *     io.ecgsentinel.models.tools.EnsembleOf OUT_DIR MODEL_DIR MODEL_DIR...
 * </pre>
 */
public final class EnsembleOf {

    private EnsembleOf() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: EnsembleOf OUT_DIR MODEL_DIR MODEL_DIR...");
            System.exit(2);
        }
        List<Map<String, float[]>> members = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            List<Map<String, float[]>> w = GraphModel.readWeights(Path.of(args[i]));
            members.addAll(w);
            sources.add(Path.of(args[i]));
            counts.add(w.size());
        }
        GraphModel.export(members, Path.of(args[0]));
        ModelCard.writeAssembled(Path.of(args[0]), sources, counts);
        System.out.println("wrote an ensemble of " + members.size() + " networks to " + args[0]);
    }
}
