// Empty translation unit that owns the shared precompiled torch header.
