package io.ecgsentinel.core.synth;

import java.util.SplittableRandom;

/**
 * The physiology of one synthetic patient, drawn from a seed: resting heart rate, heart-rate
 * variability, respiration, and the beat morphologies as vectorcardiogram waves already projected
 * to the eight independent leads (I, II, V1-V6).
 *
 * <p>Each wave (P, Q, R, S, T, ...) is a Gaussian in time, as in ECGSYN, but with a 3-D amplitude
 * vector (Frank x: right to left, y: head to foot, z: front to back) and a small time skew per
 * component, so the dipole traces a loop instead of a line. Projection uses Dower's
 * VCG-to-12-lead coefficients; the limb leads III, aVR, aVL and aVF are derived from I and II in
 * the generator, so Einthoven's and Goldberger's relations hold exactly.
 */
final class PatientModel {

    /** Independent channels: I, II, V1..V6. */
    static final int CH = 8;

    /** Dower transformation rows for I, II, V1..V6, columns x, y, z. */
    static final double[][] DOWER = {
        {0.632, -0.235, 0.059},
        {0.235, 1.066, -0.132},
        {-0.515, 0.157, -0.917},
        {0.044, 0.164, -1.387},
        {0.882, 0.098, -1.277},
        {1.213, 0.127, -0.601},
        {1.125, 0.127, -0.086},
        {0.831, 0.076, 0.230},
    };

    /** Time scaling of a wave with the RR interval. */
    static final byte FIXED = 0;
    static final byte PR = 1;
    static final byte QT = 2;
    static final byte SPIKE = 3;

    /** A beat morphology: Gaussian kernels (time offset from R, width, 8-lead amplitude). */
    static final class Template {
        final int n;
        final double[] dt;
        final double[] sigma;
        final byte[] mode;
        final float[][] amp;
        /** Earliest kernel start relative to R at the longest RR (seconds, negative). */
        final double lead;

        Template(Builder b) {
            n = b.n;
            dt = java.util.Arrays.copyOf(b.dt, n);
            sigma = java.util.Arrays.copyOf(b.sigma, n);
            mode = java.util.Arrays.copyOf(b.mode, n);
            amp = java.util.Arrays.copyOf(b.amp, n);
            double min = 0;
            for (int i = 0; i < n; i++) {
                double scale = mode[i] == PR ? Math.pow(2.0, 0.3) : mode[i] == QT ? Math.sqrt(2.0) : 1;
                min = Math.min(min, dt[i] * scale - 4 * sigma[i] * scale);
            }
            lead = min;
        }

        static final class Builder {
            int n;
            double[] dt = new double[32];
            double[] sigma = new double[32];
            byte[] mode = new byte[32];
            float[][] amp = new float[32][];

            /** Adds one wave with a 3-D vector; each component gets its own kernel and skew. */
            Builder wave(double t, double s, byte m, double[] v, double[] skew) {
                for (int c = 0; c < 3; c++) {
                    if (v[c] == 0) {
                        continue;
                    }
                    double[] unit = new double[3];
                    unit[c] = v[c];
                    kernel(t + (skew == null ? 0 : skew[c]), s, m, project(unit));
                }
                return this;
            }

            Builder kernel(double t, double s, byte m, float[] a8) {
                dt[n] = t;
                sigma[n] = s;
                mode[n] = m;
                amp[n] = a8;
                n++;
                return this;
            }

            Template build() {
                return new Template(this);
            }
        }
    }

    final double heartRate;
    /** Relative RR standard deviation at rest. */
    final double hrvSd;
    final double lf1;
    final double lf2;
    final double lfAmp;
    final double hfAmp;
    final double phLf1;
    final double phLf2;
    final double phHf;
    final double respHz;
    final double respPhase;
    /** Per channel: respiratory baseline-wander amplitude (mV at noise level 1). */
    final float[] respAmp = new float[CH];
    /** Per channel: relative muscle-noise gain. */
    final float[] emgGain = new float[CH];
    final float[] mainsA = new float[CH];
    final float[] mainsB = new float[CH];

    final Template normal;
    final Template normalNoP;
    final Template pOnly;
    final Template pvc;
    final Template vt;
    final Template paced;
    /** Amplitude 8-vectors of the atrial fibrillatory waves and the VF oscillators. */
    final float[][] fwaveDirs = new float[3][];
    final float[][] vfDirs = new float[3][];

    PatientModel(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        heartRate = uniform(r, 58, 88);
        hrvSd = uniform(r, 0.025, 0.05);
        lf1 = uniform(r, 0.07, 0.1);
        lf2 = uniform(r, 0.1, 0.13);
        double lfHf = uniform(r, 0.6, 2.0);
        // Normalise so the modulation's standard deviation is about 1 (then scaled by hrvSd).
        double hf = 1 / Math.sqrt(1 + lfHf);
        double lf = Math.sqrt(lfHf) * hf;
        lfAmp = lf; // split over two sinusoids of amplitude lf each: variance lf^2
        hfAmp = hf * Math.sqrt(2);
        phLf1 = uniform(r, 0, 2 * Math.PI);
        phLf2 = uniform(r, 0, 2 * Math.PI);
        phHf = uniform(r, 0, 2 * Math.PI);
        respHz = uniform(r, 0.2, 0.33);
        respPhase = phHf;
        for (int c = 0; c < CH; c++) {
            respAmp[c] = (float) uniform(r, 0.02, 0.08);
            emgGain[c] = (float) uniform(r, 0.6, 1.4);
            double ph = uniform(r, 0, 2 * Math.PI);
            double a = uniform(r, 0.004, 0.012);
            mainsA[c] = (float) (a * Math.cos(ph));
            mainsB[c] = (float) (a * Math.sin(ph));
        }

        // Normal sinus morphology, rotated and scaled per patient.
        double[][] rot = rotation(r.nextGaussian() * 0.17, r.nextGaussian() * 0.17,
                r.nextGaussian() * 0.17);
        double qrsA = uniform(r, 0.75, 1.3);
        double tA = uniform(r, 0.7, 1.25);
        double pA = uniform(r, 0.7, 1.3);
        double qrsW = uniform(r, 0.9, 1.15);
        double pr = uniform(r, 0.15, 0.19);
        Template.Builder nb = new Template.Builder();
        addP(nb, rot, pA, pr);
        addQrsT(nb, rot, qrsA, qrsW, tA);
        normal = nb.build();
        Template.Builder np = new Template.Builder();
        addQrsT(np, rot, qrsA, qrsW, tA);
        normalNoP = np.build();
        Template.Builder po = new Template.Builder();
        addP(po, rot, pA, pr);
        pOnly = po.build();

        // Ectopic ventricular focus: a random direction, wide notched QRS, discordant T.
        double[] u = randomUnit(r);
        double[] u2 = rotate(rotation(0.5, 0.3, -0.4), u);
        double m = uniform(r, 1.3, 2.0);
        pvc = ventricular(u, u2, m, 1.0).build();
        vt = ventricular(u, u2, m * 0.9, 1.0).build();

        // Right-ventricular apical pacing: LBBB-like, superior axis, with the pacing spike.
        double[] pu = normalise(new double[] {0.6, -0.7, 0.45});
        Template.Builder pb = ventricular(pu, rotate(rotation(0.3, 0, 0.3), pu), 1.5, 1.0);
        pb.kernel(-0.035, 0, SPIKE, project(scale(normalise(new double[] {0.3, 1, 0.4}), 4.0)));
        paced = pb.build();

        for (int k = 0; k < 3; k++) {
            // f-waves: largest in V1 and the inferior leads (atrial dipole: anterior, inferior).
            double[] d = normalise(new double[] {
                -0.2 + 0.3 * r.nextGaussian(), 0.6 + 0.3 * r.nextGaussian(), -0.8 + 0.3 * r.nextGaussian()});
            fwaveDirs[k] = project(d);
            vfDirs[k] = project(randomUnit(r));
        }
    }

    private static void addP(Template.Builder b, double[][] rot, double a, double pr) {
        b.wave(-pr, 0.022, PR, rotate(rot, new double[] {0.07 * a, 0.10 * a, 0.02 * a}),
                new double[] {-0.006, 0, 0.008});
    }

    private static void addQrsT(Template.Builder b, double[][] rot, double a, double w, double ta) {
        b.wave(-0.030 * w, 0.009 * w, FIXED, rotate(rot, new double[] {-0.10 * a, -0.02 * a, -0.12 * a}),
                null);
        b.wave(0, 0.011 * w, FIXED, rotate(rot, new double[] {1.0 * a, 0.75 * a, 0.25 * a}),
                new double[] {0, 0.003, 0.008});
        b.wave(0.032 * w, 0.011 * w, FIXED, rotate(rot, new double[] {-0.30 * a, -0.15 * a, 0.55 * a}),
                new double[] {0.002, 0, -0.003});
        double[] t = rotate(rot, new double[] {0.22 * ta, 0.20 * ta, -0.18 * ta});
        b.wave(0.27, 0.055, QT, t, new double[] {0, 0.008, -0.008});
        b.wave(0.33, 0.032, QT, scale(t, 0.35), null);
    }

    private static Template.Builder ventricular(double[] u, double[] u2, double m, double w) {
        Template.Builder b = new Template.Builder();
        b.wave(-0.030, 0.024 * w, FIXED, scale(u2, 0.45 * m), null);
        b.wave(0, 0.028 * w, FIXED, scale(u, m), new double[] {0, 0.006, -0.006});
        b.wave(0.045, 0.024 * w, FIXED, scale(rotate(rotation(-0.4, 0.6, 0.2), u), 0.4 * m), null);
        b.wave(0.30, 0.07, QT, scale(u, -0.33 * m), new double[] {0, 0.01, 0.01});
        return b;
    }

    /** Projects a VCG vector to the eight independent leads. */
    static float[] project(double[] v) {
        float[] out = new float[CH];
        for (int c = 0; c < CH; c++) {
            out[c] = (float) (DOWER[c][0] * v[0] + DOWER[c][1] * v[1] + DOWER[c][2] * v[2]);
        }
        return out;
    }

    /** The twelve lead values of an 8-channel vector (derived limb leads included). */
    static double[] twelve(float[] ch) {
        double i = ch[0];
        double ii = ch[1];
        return new double[] {
            i, ii, ii - i, -(i + ii) / 2, i - ii / 2, ii - i / 2, ch[2], ch[3], ch[4], ch[5], ch[6], ch[7]
        };
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    static double[] randomUnit(SplittableRandom r) {
        return normalise(new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()});
    }

    static double[] normalise(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    static double[] scale(double[] v, double s) {
        return new double[] {v[0] * s, v[1] * s, v[2] * s};
    }

    static double[] rotate(double[][] m, double[] v) {
        double[] o = new double[3];
        for (int i = 0; i < 3; i++) {
            o[i] = m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2];
        }
        return o;
    }

    /** Rotation about x, then y, then z by the given angles in radians. */
    static double[][] rotation(double ax, double ay, double az) {
        double[][] rx = {{1, 0, 0}, {0, Math.cos(ax), -Math.sin(ax)}, {0, Math.sin(ax), Math.cos(ax)}};
        double[][] ry = {{Math.cos(ay), 0, Math.sin(ay)}, {0, 1, 0}, {-Math.sin(ay), 0, Math.cos(ay)}};
        double[][] rz = {{Math.cos(az), -Math.sin(az), 0}, {Math.sin(az), Math.cos(az), 0}, {0, 0, 1}};
        return mul(rz, mul(ry, rx));
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] o = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    o[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return o;
    }
}
