package io.jenkins.plugins.containerbuild.engine.dockerfile;

/** A word of an instruction's arguments and its offset in the instruction's logical text. */
record Word(String text, int offset) {}
