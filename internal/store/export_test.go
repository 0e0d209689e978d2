package store

import "context"

// MigrateDownAll undoes every migration, for the test that the down
// migrations leave nothing behind.
func (db *DB) MigrateDownAll(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, 0)
	return err
}
