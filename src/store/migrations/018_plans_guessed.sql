-- A plan found only by its name (an organisation field or tags named like plans), not by an SLA
-- policy or a catalogue: counted as undetermined, since it may be a sales tier. NULL: not guessed.
ALTER TABLE plans ADD COLUMN guessed boolean;
